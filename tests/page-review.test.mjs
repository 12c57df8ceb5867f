// Review and apply: a box on every replacement (report, diff hunk, file), the import, helper, checks
// and patch following the accepted set; choices through a link and an edit; the config + command
// that make the CLI write the page's patch byte for byte; the HTML report with scripts off; the
// engine version in the footer and a notice for links and bundles from another version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  EXAMPLE_SUMMARY,
  MESHER,
  TEST as T,
  copyLink,
  download,
  expectNotice,
  openExample,
  openPage,
  selectFile,
  texts,
  useBrowser,
} from './harness.mjs';

const env = useBrowser();
const here = dirname(fileURLToPath(import.meta.url));
/** The native CLI (`cargo xtask test` builds it before this step). */
const CLI = process.env.MESH_REWRITE_BIN ?? join(here, '..', 'target', 'debug', 'mesh-rewrite');
const WAIT = { timeout: 15_000 };

const SETTINGS_2 = 'api/settings.mpl:handle_update_settings#1';
const cli = (...args) =>
  execFileSync(CLI, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });

const summary = (page, text) => page.getByTestId('report-summary').filter({ hasText: text }).waitFor(WAIT);
const box = (page, choice) => page.locator(`[data-testid=choice][data-choice="${choice}"]`);

async function openSafe() {
  const opened = await openExample(env.browser, env.server.url);
  await opened.page.getByTestId('verdict-switch').click();
  await opened.page.locator('[data-testid=verdict-form][data-form=node-local].current').waitFor(WAIT);
  return opened;
}

test('unticking a replacement, then a file: diff, counts, import, checks and the CLI patch follow exactly', T, async () => {
  const { page, context, errors } = await openSafe();
  await selectFile(page, 'api/settings.mpl');
  assert.deepEqual(await texts(page.locator('.hunk-choice')), [
    'line 46 in handle_get_settings',
    'line 57 in handle_update_settings',
    'line 82 in handle_storage_stats',
  ]);
  // From the diff hunk's box: the call stays, the hunk goes, the report moves it to "kept".
  await page.locator(`[data-testid=hunk-choice][data-choice="${SETTINGS_2}"]`).click();
  await summary(page, '40 replacements in 8 files · 1 skipped by choice · helper inserted in api/helpers.mpl');
  assert.deepEqual(await texts(page.locator('.hunk-choice')), ['line 46 in handle_get_settings', 'line 82 in handle_storage_stats']);
  assert.equal(await box(page, SETTINGS_2).isChecked(), false);
  assert.equal(
    await page.getByTestId('skipped').filter({ has: box(page, SETTINGS_2) }).textContent(),
    'api/settings.mpl:57:17 skipped by choice',
  );
  assert.deepEqual(
    await texts(page.getByTestId('count').filter({ hasText: 'api/settings.mpl' }).locator('td')),
    ['api/settings.mpl', '2 + 1 skipped', '3'],
  );
  // The whole of api/detail.mpl from the file tree: no replacement, so no import.
  await page.locator('[data-testid=file-row][data-path="api/detail.mpl"] [data-testid=file-choice]').click();
  await summary(page, '39 replacements in 7 files · 2 skipped by choice · helper inserted in api/helpers.mpl');
  await selectFile(page, 'api/detail.mpl');
  await page.getByTestId('diff-empty').filter({ hasText: 'The rewrite leaves this file as it is.' }).waitFor(WAIT);
  assert.deepEqual(await texts(page.getByTestId('check').filter({ hasText: 'counts' })), [
    '✓ replacement counts match the plan: 39 replacements in 7 files and 2 skipped by choice, as planned',
  ]);
  assert.equal(await page.locator('[data-testid=check].fail').count(), 0);
  // Ticking one box of the rejected file back names the file's others one by one: it is the only one.
  await box(page, 'api/detail.mpl:handle_event_detail#1').click();
  await summary(page, '40 replacements in 8 files · 1 skipped by choice · helper inserted in api/helpers.mpl');
  await page.locator('[data-testid=file-row][data-path="api/detail.mpl"] [data-testid=file-choice]').click();
  await summary(page, '39 replacements in 7 files · 2 skipped by choice');

  // Copy as CLI: the command, and the config that holds the rule, the form and the choices.
  assert.equal(
    await page.getByTestId('cli-command').textContent(),
    'mesh-rewrite rewrite --config mesh-rewrite.toml --write PROJECT_DIR',
  );
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
  await page.getByTestId('copy-command').click();
  await expectNotice(page, 'Command copied. Download mesh-rewrite.toml next to it.');
  assert.equal(
    await page.evaluate(() => navigator.clipboard.readText()),
    'mesh-rewrite rewrite --config mesh-rewrite.toml --write PROJECT_DIR',
  );
  const dir = mkdtempSync(join(tmpdir(), 'mesh-review-'));
  try {
    const config = await download(page, 'download-config', dir);
    const text = readFileSync(config, 'utf8');
    assert.ok(text.includes('\nhelper_form = "node-local"\n'), text);
    assert.ok(text.includes(`\nskip = ["${SETTINGS_2}", "api/detail.mpl"]\n`), text);
    const patch = readFileSync(await download(page, 'download-patch', dir), 'utf8');
    // Same engine, same output: the CLI with the page's config writes the page's patch, byte for byte.
    assert.equal(cli('rewrite', '--config', config, MESHER), patch);
    assert.ok(!patch.includes('api/detail.mpl'), 'a file with every replacement rejected is left out');
    const settings = patch.slice(patch.indexOf('diff --git a/api/settings.mpl'), patch.indexOf('diff --git a/api/team.mpl'));
    assert.equal(settings.split('\n').filter((l) => l.startsWith('+') && l.includes('get_registry()')).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('choices survive a link and an edit elsewhere in the file', T, async () => {
  const first = await openSafe();
  await box(first.page, SETTINGS_2).click();
  await summary(first.page, '40 replacements in 8 files · 1 skipped by choice');
  const link = await copyLink(first.page, first.context, env.server.origin);
  await first.context.close();

  const { page, context, errors } = await openPage(env.browser, link);
  await summary(page, '40 replacements in 8 files · 1 skipped by choice');
  assert.equal(await box(page, SETTINGS_2).isChecked(), false);
  // A line added above the function: the choice names the call, not its line, so it holds.
  await selectFile(page, 'api/settings.mpl');
  await page.getByTestId('editor').evaluate((el) => {
    el.value = '# reviewed\n' + el.value;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: '#' }));
  });
  await page.getByTestId('skipped').filter({ hasText: 'api/settings.mpl:58:17 skipped by choice' }).waitFor(WAIT);
  await summary(page, '40 replacements in 8 files · 1 skipped by choice');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the exported report is the CLI’s, byte for byte, and reads with scripts off', T, async () => {
  const { page, context, errors } = await openExample(env.browser, env.server.url);
  const dir = mkdtempSync(join(tmpdir(), 'mesh-report-'));
  try {
    const file = await download(page, 'export-report', dir);
    const html = readFileSync(file, 'utf8');
    assert.equal(cli('rewrite', '--format', 'html', MESHER), html);
    const patch = cli('rewrite', MESHER);

    const reader = await env.browser.newContext({ javaScriptEnabled: false });
    const report = await reader.newPage();
    const requests = [];
    report.on('request', (r) => requests.push(r.url()));
    await report.goto(pathToFileURL(file).href);
    assert.deepEqual(await texts(report.locator('h2')), ['Verdict', 'Summary', 'Checks', 'Diagnostics', 'Kept as they are', 'Changes']);
    assert.equal(
      await report.locator('.verdict').textContent(),
      'verdict: plan: does not compile (api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)); ' +
        "even as intended it crashes on node b in registry-not-ready: its handlers call node a's registry, and a service " +
        "call to another node's PID crashes the caller. Ship node-local instead (--helper-form node-local).",
    );
    assert.equal(await report.locator('details').count(), 9);
    // Every line of every diff, in order.
    const lines = await report.locator('pre.diff span').allTextContents();
    assert.deepEqual(lines, patch.replace(/\n$/, '').split('\n'));
    assert.deepEqual(requests, [pathToFileURL(file).href]);
    await reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the footer names the engine; links and bundles from another version say so', T, async () => {
  const version = cli('--version').trim();
  const here_ = version.replace(/^mesh-rewrite /, '');
  const fixture = join(here, '..', 'core', 'tests', 'fixtures', 'permalink');
  const v1 = readFileSync(join(fixture, 'example-default.v1.link'), 'utf8').trim();
  const { page, context, errors } = await openPage(env.browser, `${env.server.url}#${v1}`);
  assert.equal(await page.getByTestId('engine-version').textContent(), version);
  await expectNotice(
    page,
    `This was made by an earlier playground that did not record its version; this page runs mesh-rewrite ${here_}. ` +
      'The files and rule were restored as saved, but results may differ from what its author saw.',
  );
  await summary(page, EXAMPLE_SUMMARY);

  const bundle = JSON.parse(readFileSync(join(fixture, 'example-default.bundle.json'), 'utf8'));
  bundle.engine = '0.0.9 (grammar 000000000000)';
  const dir = mkdtempSync(join(tmpdir(), 'mesh-bundle-'));
  try {
    const path = join(dir, 'old.json');
    writeFileSync(path, JSON.stringify(bundle));
    await page.getByTestId('open-bundle').setInputFiles(path);
    await expectNotice(
      page,
      `This was made with mesh-rewrite 0.0.9 (grammar 000000000000); this page runs ${here_}. The files, rule and ` +
        "choices were restored as saved, but the rewrite, checks and verdict are this version's and may differ from what its author saw.",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
