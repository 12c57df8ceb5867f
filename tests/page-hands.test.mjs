// The page under a user's hands (issue 10): a typo does not blank the diff, patches apply where the
// user stands, bringing code asks before mixing projects, diffs wrap, keyboard and housekeeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SUMMARY as SUMMARY, MESHER, TEST, copyLink, download, expectNotice, meshFiles, openExample as harnessOpenExample, openPage, screenshot, selectFile, texts, useBrowser } from './harness.mjs';
import { makeZip, readZip } from './zip.mjs';

const env = useBrowser();

const openExample = () => harnessOpenExample(env.browser, env.server.url);

/** Replaces the editor's text as typing would (one input event). */
async function setEditor(page, edit) {
  await page.getByTestId('editor').evaluate((el, edit) => {
    el.value = new Function('text', `return ${edit}`)(el.value);
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
  }, edit);
}

const TYPO_AFTER = 'handle_event_detail)\nend\n';

test('a typo keeps the last rewrite that parsed, marked, and underlines the error in place', TEST, async () => {
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
  // The report and the file badges follow once typing pauses.
  await page.getByTestId('report-stale').waitFor();
  const diagnostics = await texts(page.getByTestId('diagnostic'));
  assert.deepEqual(diagnostics, [
    '13:1 unexpected `fn`',
    '11:8 missing `)` to close this `(`',
    '13:70 unexpected `,`',
    '13:79 unexpected `?`',
    '13:88 unexpected `do`',
  ]);
  assert.equal(await note.textContent(), 'showing the last version without syntax errors (error at 13:1)');
  // The diff, the count and the report stay as they were when the file last parsed.
  assert.equal(await delLine.count(), 1);
  assert.equal(await row.getByTestId('badge-replacements').textContent(), '1');
  assert.equal(await row.getByTestId('badge-errors').textContent(), '5⚠');
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
  await page.getByTestId('report-stale').waitFor({ state: 'detached' });
  assert.equal(await marks.count(), 0);
  assert.equal(await row.getByTestId('badge-replacements').textContent(), '1');
  assert.deepEqual(errors, []);
  await context.close();
});

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 30_000 });

test('an uploaded folder: the patch and the zip keep it, and the patch applies from its parent', TEST, async () => {
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

/** File rows as the tree lists them (not re-sorted here). */
const rowPaths = (page) => page.getByTestId('file-row').evaluateAll((els) => els.map((e) => e.dataset.path));
const CALLER = (name) => `pub fn ${name}(request :: Request) -> Response do\n  let reg = Process.whereis("mesher_registry")\n  HTTP.response(200, "ok")\nend\n`;

test('bringing files into a project asks "Replace / Add"; replacing is the default after the untouched example', TEST, async () => {
  const { page, context, errors } = await openExample();
  await page.getByTestId('upload-files').setInputFiles([
    { name: 'b.mpl', mimeType: 'text/plain', buffer: Buffer.from(CALLER('b')) },
    { name: 'a.mpl', mimeType: 'text/plain', buffer: Buffer.from(CALLER('a')) },
  ]);
  await page.getByTestId('bring-confirm').waitFor();
  assert.equal(
    await page.getByTestId('bring-question').textContent(),
    '2 files brought while the project has 24 files: replace the project or add to it?',
  );
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'bring-replace', null, { timeout: 10_000 });
  await screenshot(page, 'hands-3-bring-ask');
  await page.keyboard.press('Enter');
  await expectNotice(page, 'Replaced the project with 2 files');
  assert.deepEqual(await rowPaths(page), ['a.mpl', 'api/helpers.mpl', 'b.mpl']);
  assert.equal(await page.locator('[data-testid="file-row"][data-path="api/helpers.mpl"] [data-testid="badge-new"]').textContent(), 'new');
  assert.equal(await page.getByTestId('count').count(), 0, "the example's counts are not this project's");
  assert.ok((await texts(page.getByTestId('check'))).every((c) => !c.includes('replacement counts')));

  // Now the project is the user's own: adding is the default.
  await page.getByTestId('upload-files').setInputFiles([{ name: 'c.mpl', mimeType: 'text/plain', buffer: Buffer.from('fn c() do\n  1\nend\n') }]);
  await page.getByTestId('bring-confirm').waitFor();
  assert.equal(await page.getByTestId('bring-question').textContent(), '1 file brought while the project has 2 files: replace the project or add to it?');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'bring-add', null, { timeout: 10_000 });
  await page.keyboard.press('Enter');
  await expectNotice(page, 'Added 1 file');
  assert.deepEqual(await rowPaths(page), ['a.mpl', 'api/helpers.mpl', 'b.mpl', 'c.mpl']);
  // Cancel brings nothing.
  await page.getByTestId('upload-files').setInputFiles([{ name: 'd.mpl', mimeType: 'text/plain', buffer: Buffer.from('fn d() do\n  1\nend\n') }]);
  await page.getByTestId('bring-cancel').click();
  await page.getByTestId('bring-confirm').waitFor({ state: 'detached' });
  assert.deepEqual(await rowPaths(page), ['a.mpl', 'api/helpers.mpl', 'b.mpl', 'c.mpl']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a zip is listed by path; pasted code is named after its first function; the created helper has a `new` row', TEST, async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const zip = makeZip([
    { path: 'w/zeta.mpl', data: 'fn zeta() do\n  1\nend\n' },
    { path: 'w/api/alerts.mpl', data: CALLER('alerts') },
    { path: 'w/alpha.mpl', data: 'fn alpha() do\n  1\nend\n' },
  ]);
  await page.getByTestId('upload-files').setInputFiles({ name: 'w.zip', mimeType: 'application/zip', buffer: zip });
  await expectNotice(page, 'Added 3 files');
  assert.deepEqual(await rowPaths(page), ['alpha.mpl', 'api/alerts.mpl', 'api/helpers.mpl', 'zeta.mpl']);
  await context.close();

  const second = await openPage(env.browser, env.server.url);
  const p = second.page;
  await p.getByTestId('editor').fill('# a tool\n' + CALLER('handle_alerts'));
  await expectNotice(p, 'Named the code handle_alerts.mpl; rename it with ✎ in the file list');
  await p.getByTestId('report-summary').filter({ hasText: '1 replacement in 1 file · helper created as api/helpers.mpl' }).waitFor();
  assert.deepEqual(await rowPaths(p), ['api/helpers.mpl', 'handle_alerts.mpl']);
  const created = p.locator('[data-testid="file-row"][data-path="api/helpers.mpl"]');
  assert.equal(await created.getByTestId('badge-new').textContent(), 'new');
  assert.equal(await p.getByTestId('count').count(), 0);
  // Its row shows what the rewrite creates: the diff of a new file; the editor does not pretend to hold it.
  await created.click();
  await p.locator('[data-testid="diff-line"].add').first().waitFor();
  assert.equal(await p.locator('[data-testid="diff-line"]:not(.add)').count(), 0);
  assert.equal(await p.getByTestId('editor').getAttribute('readonly'), '');
  await screenshot(p, 'hands-3-paste');
  assert.deepEqual([...errors, ...second.errors], []);
  await second.context.close();
});

test('reading diffs: wrap (default side by side) shows whole lines; unwrapped, numbers stay put and rows span the width', TEST, async () => {
  const { page, context, errors } = await openExample();
  await selectFile(page, 'api/search.mpl');
  const wrapButton = page.getByTestId('diff-wrap');
  assert.equal(await wrapButton.getAttribute('aria-pressed'), 'false', 'unified does not wrap by default');
  await page.getByTestId('diff-mode-split').click();
  await page.locator('[data-testid="diff"].wrap').waitFor();
  assert.equal(await wrapButton.getAttribute('aria-pressed'), 'true');
  const merged = page.locator('.split-row .cell.add .text', { hasText: 'get_registry' }).first();
  assert.equal(await merged.textContent(), 'from Api.Helpers import query_or_default, to_json_array, require_param, get_registry');
  // The whole line is inside its cell: nothing cut, the change mark visible.
  const fits = await merged.evaluate((el) => {
    const cell = el.closest('.cell').getBoundingClientRect();
    const mark = el.querySelector('mark').getBoundingClientRect();
    return { overflow: el.scrollWidth - el.clientWidth, markInside: mark.right <= cell.right + 0.5 && mark.width > 0 };
  });
  assert.deepEqual(fits, { overflow: 0, markInside: true });
  // Both halves are in view: wrapping, the diff never scrolls sideways.
  const sideways = await page.getByTestId('diff').evaluate((diff) => diff.scrollWidth - diff.clientWidth);
  assert.equal(sideways, 0);
  await screenshot(page, 'hands-4-split-wrap');

  await wrapButton.click();
  assert.equal(await wrapButton.getAttribute('aria-pressed'), 'false');
  await page.getByTestId('diff-mode-unified').click();
  await page.locator('[data-testid="diff"]:not(.wrap)').waitFor();
  const scrolled = await page.getByTestId('diff').evaluate((diff) => {
    diff.scrollLeft = 150;
    const box = diff.getBoundingClientRect();
    const rows = [...diff.querySelectorAll('[data-testid="diff-line"]')];
    const row = rows.find((r) => r.textContent.includes('get_registry') && r.classList.contains('add'));
    const ln = row.querySelector('.ln').getBoundingClientRect();
    return {
      scrolled: diff.scrollLeft,
      wider: diff.scrollWidth > diff.clientWidth,
      numbersAtLeft: Math.abs(ln.left - box.left - diff.clientLeft) < 1,
      rowWidths: [...new Set(rows.map((r) => Math.round(r.getBoundingClientRect().width)))].length,
      rowsSpan: Math.abs(row.getBoundingClientRect().width - diff.scrollWidth) < 1,
    };
  });
  assert.deepEqual(scrolled, { scrolled: 150, wider: true, numbersAtLeft: true, rowWidths: 1, rowsSpan: true });
  await screenshot(page, 'hands-4-unified-scrolled');
  assert.deepEqual(errors, []);
  await context.close();
});

const active = (page) => page.evaluate(() => document.activeElement?.dataset.testid + ':' + (document.activeElement?.dataset.path ?? ''));

test('keyboard: file rows, replacements, diagnostics and matrix cells take Tab and Enter, with a visible focus', TEST, async () => {
  const { page, context, errors } = await openExample();
  await page.getByTestId('new-file').focus();
  await page.keyboard.press('Tab');
  assert.equal(await active(page), 'file-row:api/alerts.mpl');
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid');
  await page.locator('[data-testid="file-row"][data-path="api/team.mpl"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="file-row"][data-path="api/team.mpl"].selected').waitFor();

  const replacement = page.getByTestId('replacement').filter({ hasText: /^api\/detail\.mpl:/ }).first();
  await replacement.focus();
  assert.equal(await active(page), 'replacement:');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="file-row"][data-path="api/detail.mpl"].selected').waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'editor', null, { timeout: 10_000 });

  const e0001 = page.getByTestId('report-diagnostic').filter({ hasText: 'error[E0001]' });
  await e0001.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="file-row"][data-path="api/helpers.mpl"].selected').waitFor();

  await page.getByTestId('tab-simulator').click();
  const cell = page.locator('[data-testid="sim-matrix-cell"][data-form="node-mode"][data-scenario="late-join"]');
  await cell.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="sim-matrix-cell"][data-form="node-mode"][data-scenario="late-join"][aria-pressed="true"]').waitFor();
  assert.equal(await page.getByTestId('sim-scenario').inputValue(), 'late-join');
  assert.deepEqual(errors, []);
  await context.close();
});

test('delete offers Undo for 10 s; notices stack in a corner, at most 3, without moving the workspace', TEST, async () => {
  const { page, context, errors } = await openExample();
  const layoutTop = () => page.getByTestId('layout').evaluate((el) => el.getBoundingClientRect().top);
  const top = await layoutTop();
  const row = (path) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);
  const del = async (path) => {
    await row(path).hover();
    await row(path).getByTestId('delete-file').click();
    await row(path).waitFor({ state: 'detached' });
  };
  await del('api/team.mpl');
  const notice = page.getByTestId('notice').filter({ hasText: 'Deleted api/team.mpl' });
  assert.equal(await notice.locator('.notice-text').textContent(), 'Deleted api/team.mpl');
  await notice.getByTestId('notice-undo').click();
  await row('api/team.mpl').waitFor();
  await expectNotice(page, 'Restored api/team.mpl');
  await page.getByTestId('report-summary').filter({ hasText: SUMMARY }).waitFor();

  for (const path of ['types/alert.mpl', 'types/event.mpl', 'types/issue.mpl']) await del(path);
  // Four notices came; the oldest went.
  assert.deepEqual(await texts(page.locator('[data-testid="notice"] .notice-text')), [
    'Deleted types/alert.mpl',
    'Deleted types/event.mpl',
    'Deleted types/issue.mpl',
  ]);
  assert.equal(await layoutTop(), top, 'notices float over the page');
  const corner = await page.getByTestId('notices').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { right: Math.round(innerWidth - r.right), bottom: Math.round(innerHeight - r.bottom) };
  });
  assert.deepEqual(corner, { right: 12, bottom: 12 });
  await screenshot(page, 'hands-5-notices');

  // The Undo offer ends after 10 s.
  const t0 = Date.now();
  await page.getByTestId('notice').filter({ hasText: 'Deleted types/issue.mpl' }).waitFor({ state: 'detached', timeout: 20_000 });
  const waited = Date.now() - t0;
  assert.ok(waited > 8_000 && waited < 12_000, `${waited} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('narrow screens: the header fits in 120 px, the toolbar in a menu', TEST, async () => {
  const { page, context, errors } = await openExample();
  await page.setViewportSize({ width: 390, height: 800 });
  const height = () => page.getByTestId('toolbar').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok((await height()) <= 120, `${await height()} px`);
  assert.equal(await page.getByTestId('download-patch').isVisible(), false);
  await page.getByTestId('menu-toggle').click();
  await page.getByTestId('download-patch').waitFor();
  assert.equal(await page.getByTestId('menu-toggle').getAttribute('aria-expanded'), 'true');
  assert.ok((await height()) <= 120, `${await height()} px with the menu open`);
  await screenshot(page, 'hands-5-narrow-menu');
  await page.getByTestId('menu-toggle').click();
  assert.equal(await page.getByTestId('download-patch').isVisible(), false);
  await screenshot(page, 'hands-5-narrow');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link opens on the tab and the simulator step it was copied from', TEST, async () => {
  const { page, context, errors } = await openExample();
  await page.getByTestId('tab-simulator').click();
  for (let i = 0; i < 3; i++) await page.getByTestId('sim-step').click();
  const position = 'Step 3 of 18 · 0 ms';
  assert.equal(await page.getByTestId('sim-position').innerText(), position);
  const fresh = await openPage(env.browser, await copyLink(page, context, env.server.origin));
  await fresh.page.locator('[data-testid="tab-simulator"].active').waitFor();
  assert.equal(await fresh.page.getByTestId('simulator-pane').isVisible(), true);
  assert.equal(await fresh.page.getByTestId('sim-position').innerText(), position);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});
