// Registers the service worker (release builds ship sw.js) and hands update offers to the page:
// `mesh-update-ready` when a new build is installed and waiting, `mesh-update-accept` back from the
// page when the user accepts; the page then reloads into the new build.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', async () => {
    let registration;
    try {
      registration = await navigator.serviceWorker.register('./sw.js');
    } catch {
      return; // no sw.js (a development build) or no service workers here: the page works online
    }
    const offer = () => {
      if (registration.waiting && navigator.serviceWorker.controller) {
        window.__meshUpdateReady = true; // for a page that mounts after this
        window.dispatchEvent(new Event('mesh-update-ready'));
      }
    };
    offer();
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => worker.state === 'installed' && offer());
    });
    window.addEventListener('mesh-update-accept', () => registration.waiting?.postMessage('skip-waiting'));
    let reloading = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (!reloading && window.__meshUpdateAccepted) {
        reloading = true;
        window.location.reload();
      }
    });
    window.addEventListener('mesh-update-accept', () => (window.__meshUpdateAccepted = true));
  });
}
