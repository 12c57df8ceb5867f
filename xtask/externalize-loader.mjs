// Trunk post_build hook: moves trunk's inline `<script type="module">` wasm loader into
// loader-<hash>.js, so index.html can keep `script-src 'self'` in its Content-Security-Policy.
// Fails the build if it does not find exactly one inline module script.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
const base = process.env.TRUNK_PUBLIC_URL ?? './';
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run me as a trunk post_build hook');
const htmlPath = join(dir, 'index.html');
const html = readFileSync(htmlPath, 'utf8');

// Release builds are minified: attributes may lose their quotes.
const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
  ([, attrs]) => /\btype=["']?module\b/.test(attrs) && !/\bsrc=/.test(attrs),
);
if (inline.length !== 1) {
  console.error(`externalize-loader: expected 1 inline module script in index.html, found ${inline.length}`);
  process.exit(1);
}
const [tag, , code] = inline[0];
const name = `loader-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
writeFileSync(join(dir, name), code);
const external = `<script type="module" src="${base}${name}" integrity="${integrity}"></script>`;
writeFileSync(htmlPath, html.replace(tag, () => external));
console.log(`externalize-loader: wasm loader moved to ${name}`);
