// Offline and installable: after one visit the page works with the network gone (the service worker
// serves the build), a link copied offline opens offline, and a new build is offered, not forced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, TEST, assertOwnOrigin, copyLink, launchBrowser, loadExample, openPage, screenshot, startServer, useBrowser } from './harness.mjs';

const env = useBrowser();

/** Until the service worker controls the page (it claims clients when it activates). */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

test('after one visit the page works offline: example, rewrite, link', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await controlled(page);
  const [cache] = await cacheNames(page);
  assert.match(cache, /^mesh-playground-[0-9a-f]{16}$/);
  // The manifest makes the page installable: its name, scope and icon.
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.deepEqual([manifest.name, manifest.start_url, manifest.display], ['Mesh Rewrite Playground', './', 'standalone']);
  assert.equal(await page.locator('link[rel=manifest]').getAttribute('href'), 'manifest.webmanifest');

  await context.setOffline(true);
  await page.reload();
  await loadExample(page);
  await page.locator('[data-testid=file-row][data-path="api/team.mpl"]').click();
  await page.getByTestId('diff-line').filter({ hasText: '+  let reg_pid = get_registry()' }).first().waitFor();
  const link = await copyLink(page, context, env.server.origin);

  const other = await context.newPage();
  await other.goto(link);
  await other.locator('[data-testid=file-row][data-path="api/team.mpl"].selected').waitFor();
  assert.equal(await other.getByTestId('file-row').count(), 24);
  await other.getByTestId('replacement').nth(40).waitFor({ state: 'attached' });
  await screenshot(other, 'offline-1-link-opened');
  // Offline, a request the service worker does not answer fails with ERR_INTERNET_DISCONNECTED; no other error counts.
  const offline = errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'));
  assertOwnOrigin(requests, offline, env.server.origin);
  await context.close();
});

test('a new build at the same URL is offered, and taken only when the user accepts', TEST, async () => {
  // The "new build": the same files, with sw.js naming a new cache.
  let build = 1;
  const server = await startServer({
    rewrite: (path, body) =>
      path === 'sw.js' && build === 2 ? Buffer.from(body.toString().replace(/(mesh-playground-[0-9a-f]{16})/, '$1b2')) : body,
  });
  const browser = await launchBrowser();
  try {
    const { page, context } = await openPage(browser, server.url);
    await controlled(page);
    const [first] = await cacheNames(page);
    const work = 'fn main() do\n  Process.whereis("mesher_registry")\nend\n';
    await page.getByTestId('editor').fill(work);

    build = 2;
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.getByTestId('update-ready').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('update-ready').locator('span').textContent(), 'A new version of the playground is ready.');
    // Nothing was forced: the work is still in the editor, the old build still serves.
    assert.equal(await page.getByTestId('editor').inputValue(), work);
    assert.deepEqual((await cacheNames(page)).sort(), [first, `${first}b2`].sort());
    await screenshot(page, 'offline-2-update-offered');

    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await page.getByTestId('editor').waitFor();
    await page.waitForFunction(
      async (name) => {
        const keys = await caches.keys();
        return keys.length === 1 && keys[0] === name;
      },
      `${first}b2`,
      { timeout: 30_000 },
    );
    // The work survived the update (autosave).
    assert.equal(await page.getByTestId('editor').inputValue(), work);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
