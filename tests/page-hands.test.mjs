// The page under a user's hands (issue 10): a typo does not blank the diff, patches apply where the
// user stands, bringing code asks before mixing projects, diffs wrap, keyboard and housekeeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESHER, meshFiles, openPage, screenshot, texts, useBrowser } from './harness.mjs';
import { readZip } from './zip.mjs';

const env = useBrowser();
/** Every test's own bound (node:test has none); each wait inside is bounded by playwright's 30 s. */
const T = { timeout: 120_000 };

const SUMMARY = '41 replacements in 8 files · helper inserted in api/helpers.mpl';

async function openExample() {
  const opened = await openPage(env.browser, env.server.url);
  await opened.page.getByTestId('load-example').click();
  await opened.page.getByTestId('report-summary').filter({ hasText: SUMMARY }).waitFor();
  return opened;
}

async function selectFile(page, path) {
  await page.locator(`[data-testid="file-row"][data-path="${path}"]`).click();
  await page.locator(`[data-testid="file-row"][data-path="${path}"].selected`).waitFor();
}

/** Replaces the editor's text as typing would (one input event). */
async function setEditor(page, edit) {
  await page.getByTestId('editor').evaluate((el, edit) => {
    el.value = new Function('text', `return ${edit}`)(el.value);
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
  }, edit);
}

const TYPO_AFTER = 'handle_event_detail)\nend\n';

test('a typo keeps the last rewrite that parsed, marked, and underlines the error in place', T, async () => {
  const { page, context, errors } = await openExample();
  await selectFile(page, 'api/detail.mpl');
  const row = page.locator('[data-testid="file-row"][data-path="api/detail.mpl"]');
  assert.equal(await row.getByTestId('badge-replacements').textContent(), '1');
  const delLine = page.locator('[data-testid="diff-line"].del .text', { hasText: 'let reg_pid = Process.whereis("mesher_registry")' });
  assert.equal(await delLine.count(), 1);

  // A half-typed function after detail_routes.
  await setEditor(page, `text.replace(${JSON.stringify(TYPO_AFTER)}, ${JSON.stringify(TYPO_AFTER + '\nfn oops(\n')})`);
  const note = page.getByTestId('diff').getByTestId('stale-note');
  await note.waitFor();
  const diagnostics = await texts(page.getByTestId('diagnostic'));
  assert.deepEqual(diagnostics, ['13:1 unexpected `fn`', '13:56 missing `)`']);
  assert.equal(await note.textContent(), 'showing the last version without syntax errors (error at 13:1)');
  // The diff, the count and the report stay as they were when the file last parsed.
  assert.equal(await delLine.count(), 1);
  assert.equal(await row.getByTestId('badge-replacements').textContent(), '1');
  assert.equal(await row.getByTestId('badge-errors').textContent(), '2⚠');
  assert.equal(await page.getByTestId('report-summary').textContent(), SUMMARY);
  assert.deepEqual(await texts(page.getByTestId('report-stale')), [
    'api/detail.mpl: showing the last version without syntax errors (error at 13:1)',
  ]);

  // The error is underlined in the editor; hovering it shows the message.
  const marks = page.getByTestId('syntax-mark');
  assert.deepEqual(await marks.evaluateAll((els) => els.map((e) => e.dataset.message)), diagnostics);
  const mark = marks.first();
  const box = await mark.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = page.getByTestId('editor-error');
  await tip.waitFor();
  assert.equal(await tip.textContent(), '13:1 unexpected `fn`');
  assert.equal(await page.getByTestId('editor').getAttribute('title'), '13:1 unexpected `fn`');
  await screenshot(page, 'hands-1-typo');
  await page.mouse.move(5, 5);
  await tip.waitFor({ state: 'detached' });
  // …and so does the caret on it (keyboard users).
  await page.getByTestId('editor').evaluate((el) => {
    // Line 13, column 1.
    const at = el.value.split('\n').slice(0, 12).join('\n').length + 1;
    el.focus();
    el.setSelectionRange(at, at);
    el.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true, key: 'ArrowRight' }));
  });
  await tip.waitFor();
  assert.equal(await tip.textContent(), '13:1 unexpected `fn`');

  // Fixed: the live rewrite is back and the marks go.
  await setEditor(page, `text.replace('fn oops(\\n', 'fn oops() do\\nend\\n')`);
  await note.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('report-stale').count(), 0);
  assert.equal(await marks.count(), 0);
  assert.equal(await row.getByTestId('badge-replacements').textContent(), '1');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Waits for the notice with exactly `text`. */
async function expectNotice(page, text) {
  const exact = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.getByTestId('notice').locator('.notice-text').filter({ hasText: exact }).first().waitFor();
}

/** Clicks `testid` and saves the download it starts into `dir`; returns the file's path. */
async function download(page, testid, dir) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(testid).click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000 });

test('an uploaded folder: the patch and the zip keep it, and the patch applies from its parent', T, async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('upload-folder').setInputFiles(MESHER);
  await expectNotice(page, 'Added 24 files; skipped 1 (see the list)');
  await page.getByTestId('report-summary').filter({ hasText: SUMMARY }).waitFor();
  assert.equal(await page.getByTestId('apply-hint').textContent(), 'Run git apply on the patch from the folder that contains mesher/');
  await page.getByTestId('verdict-switch').click();
  await page.locator('[data-testid="verdict-form"][data-form="node-local"].current').waitFor();

  const dir = mkdtempSync(join(tmpdir(), 'mesh-hands-'));
  try {
    const patch = await download(page, 'download-patch', dir);
    const text = readFileSync(patch, 'utf8');
    const headers = text.split('\n').filter((l) => l.startsWith('diff --git '));
    assert.equal(headers.length, 9);
    assert.ok(headers.includes('diff --git a/mesher/api/alerts.mpl b/mesher/api/alerts.mpl'), headers.join('\n'));
    // A repository whose mesher/ folder is the one uploaded: the patch applies from its root.
    const repo = join(dir, 'repo');
    cpSync(MESHER, join(repo, 'mesher'), { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'apply', '--check', patch);
    const stat = git(repo, 'apply', '--numstat', patch).trim().split('\n').map((l) => l.split('\t')[2]);
    assert.equal(stat.length, 9);
    assert.ok(stat.every((p) => p.startsWith('mesher/')), stat.join('\n'));
    git(repo, 'apply', patch);
    assert.match(readFileSync(join(repo, 'mesher/api/alerts.mpl'), 'utf8'), /get_registry\(\)/);

    const zip = readZip(readFileSync(await download(page, 'download-zip', dir)));
    const paths = [...zip.keys()].sort();
    assert.deepEqual(paths, meshFiles().map((p) => `mesher/${p}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The example (not brought from a folder) applies from the project's root.
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-yes').click();
  await page.getByTestId('apply-hint').filter({ hasText: "Run git apply on the patch from the project's root folder" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
