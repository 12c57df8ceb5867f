// Trunk post_build hook: the steps must run in this order (trunk may run a stage's hooks at the same
// time), since the service worker precaches the loader file the first step writes.
await import('./externalize-loader.mjs');
await import('./service-worker.mjs');
