// Bringing code into the page: paste, upload files / a folder / a zip, drag and drop, and what
// is not taken (with the reason). Against the release build; no request leaves the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESHER, TEST, assertOwnOrigin, expectNotice, meshFiles, openPage, screenshot, texts, useBrowser } from './harness.mjs';
import { makeZip } from './zip.mjs';

const env = useBrowser();

async function filePaths(page) {
  return (await page.getByTestId('file-row').evaluateAll((els) => els.map((e) => e.dataset.path))).sort();
}

const CALLER = 'fn main() do\n  let pid = Process.whereis("mesher_registry")\n  pid\nend\n';

test('pasting code shows its rewrite at once', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('editor').fill(CALLER);
  await page.getByTestId('diff-line').first().waitFor();
  // Each line reads old number, new number, sign, text: the import comes in, the lookup goes.
  assert.deepEqual(await texts(page.getByTestId('diff-line')), [
    '1+from Api.Helpers import get_registry',
    '2+',
    '13 fn main() do',
    '2-  let pid = Process.whereis("mesher_registry")',
    '4+  let pid = get_registry()',
    '35   pid',
    '46 end',
  ]);
  assert.equal(await page.getByTestId('replacement').count(), 1);
  await screenshot(page, 'bring-1-paste');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('uploading files takes .mpl text and lists what it skips, with the reason', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('upload-files').setInputFiles([
    { name: 'main.mpl', mimeType: 'text/plain', buffer: Buffer.from(CALLER) },
    { name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    { name: 'blob.mpl', mimeType: 'text/plain', buffer: Buffer.from('ab\0cd') },
    { name: 'latin1.mpl', mimeType: 'text/plain', buffer: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
    { name: 'huge.mpl', mimeType: 'text/plain', buffer: Buffer.alloc(5 * 1024 * 1024 + 1, 0x61) },
  ]);
  await expectNotice(page, 'Added 1 file; skipped 4 (see the list)');
  // Listed in path order, as the files are taken.
  assert.deepEqual(await texts(page.getByTestId('skipped-upload')), [
    'blob.mpl — binary file',
    'huge.mpl — 5.0 MB is over the 5 MB file limit',
    'latin1.mpl — not valid UTF-8',
    'logo.png — not a .mpl file',
  ]);
  // The helper file the rewrite creates is listed too (badge `new`).
  assert.deepEqual(await filePaths(page), ['api/helpers.mpl', 'main.mpl']);
  assert.equal(await page.getByTestId('editor').inputValue(), CALLER);

  // A second upload adds; the same path is replaced, and the page says so.
  await page.getByTestId('upload-files').setInputFiles([
    { name: 'main.mpl', mimeType: 'text/plain', buffer: Buffer.from('fn main() do\n  1\nend\n') },
    { name: 'other.mpl', mimeType: 'text/plain', buffer: Buffer.from('fn other() do\n  2\nend\n') },
  ]);
  // The project has files: the page asks; adding is the default here (not the untouched example).
  await page.getByTestId('bring-add').click();
  await expectNotice(page, 'Added 1 file; replaced 1 with the uploaded version: main.mpl');
  assert.deepEqual(await filePaths(page), ['main.mpl', 'other.mpl']);
  assert.equal(await page.getByTestId('editor').inputValue(), 'fn main() do\n  1\nend\n');
  assert.equal(await page.getByTestId('skipped-upload').count(), 0);
  await screenshot(page, 'bring-2-files');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('uploading a folder takes its tree relative to the project root, with progress', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  // Record every progress line the page shows while it reads.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=progress]');
      if (p && p.textContent.trim() !== window.__progress.at(-1)) window.__progress.push(p.textContent.trim());
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('upload-folder').setInputFiles(MESHER);
  await expectNotice(page, 'Added 24 files; skipped 1 (see the list)');
  assert.deepEqual(await texts(page.getByTestId('skipped-upload')), ['README.md — not a .mpl file']);
  assert.deepEqual(await filePaths(page), meshFiles());
  // Once read, the progress line says how many files it went through (the 24 taken, the README skipped).
  assert.equal(await page.getByTestId('progress').textContent(), 'Read 25 files');
  // Any line seen while reading counted up to that.
  const seen = await page.evaluate(() => window.__progress);
  assert.equal(seen.at(-1), 'Read 25 files');
  const counts = seen.slice(0, -1).map((line) => Number(line.match(/^Reading (\d+) \/ 25 files$/)?.[1]));
  assert.deepEqual(counts, [...counts].sort((x, y) => x - y), seen.join('\n'));
  assert.ok(counts.every((n) => n >= 0 && n < 25), seen.join('\n'));
  // The example's 41 lookups, counted as the report counts them.
  await page.getByTestId('replacement').nth(40).waitFor();
  assert.equal(await page.getByTestId('replacement').count(), 41);
  await screenshot(page, 'bring-3-folder');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('uploading a zip keeps its paths and lists the other entries as ignored', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  const zip = makeZip([
    { path: 'proj/main.mpl', data: CALLER },
    { path: 'proj/api/helpers.mpl', data: 'pub fn helper() do\n  1\nend\n' },
    { path: 'proj/README.md', data: '# notes\n' },
    { path: 'proj/bad.mpl', data: Buffer.from([0xff, 0xfe, 0x41]) },
  ]);
  await page.getByTestId('upload-files').setInputFiles({ name: 'proj.zip', mimeType: 'application/zip', buffer: zip });
  await expectNotice(page, 'Added 2 files; skipped 2 (see the list)');
  assert.deepEqual(await filePaths(page), ['api/helpers.mpl', 'main.mpl']);
  assert.deepEqual(await texts(page.getByTestId('skipped-upload')), [
    'README.md — not a .mpl file',
    'bad.mpl — not valid UTF-8',
  ]);
  await page.getByTestId('file-row').filter({ hasText: 'main.mpl' }).first().click();
  assert.equal(await page.getByTestId('editor').inputValue(), CALLER);

  // A file that only claims to be a zip is named as such.
  await page.getByTestId('upload-files').setInputFiles({ name: 'fake.zip', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
  await expectNotice(page, 'No new files; skipped 1 (see the list)');
  assert.deepEqual(await texts(page.getByTestId('skipped-upload')), [
    'fake.zip — not a readable zip: Missing end of central directory',
  ]);
  await screenshot(page, 'bring-4-zip');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('dropping files or a zip anywhere on the page brings them in', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  const zip = makeZip([{ path: 'z/api/team.mpl', data: readFileSync(join(MESHER, 'api/team.mpl')) }]);
  // Files dragged over the page; `window.__drop()` lets them go.
  const dragOver = (files) =>
    page.evaluate((files) => {
      const transfer = new DataTransfer();
      for (const { name, bytes } of files) transfer.items.add(new File([new Uint8Array(bytes)], name));
      const target = document.querySelector('main');
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      window.__drop = () =>
        target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }, files.map(({ name, bytes }) => ({ name, bytes: [...bytes] })));

  await dragOver([
    { name: 'main.mpl', bytes: Buffer.from(CALLER) },
    { name: 'notes.txt', bytes: Buffer.from('hi') },
  ]);
  // The overlay shows while files are over the page.
  await page.locator('[data-testid=drop-zone].active').waitFor();
  await screenshot(page, 'bring-5-dragging');
  await page.evaluate(() => window.__drop());
  await expectNotice(page, 'Added 1 file; skipped 1 (see the list)');
  assert.deepEqual(await texts(page.getByTestId('skipped-upload')), ['notes.txt — not a .mpl file']);
  assert.equal(await page.getByTestId('drop-zone').evaluate((e) => e.classList.contains('active')), false);

  await dragOver([{ name: 'z.zip', bytes: zip }]);
  await page.evaluate(() => window.__drop());
  await page.getByTestId('bring-add').click();
  await expectNotice(page, 'Added 1 file');
  // A zip's paths are relative to its common folder, but a folder the rule uses (api/) stays.
  assert.deepEqual(await filePaths(page), ['api/helpers.mpl', 'api/team.mpl', 'main.mpl']);
  await page.getByTestId('badge-replacements').first().waitFor();
  await screenshot(page, 'bring-6-drop');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});
