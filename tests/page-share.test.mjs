// Sharing and keeping: permalinks (round trip, meter, hostile fragments), bundles, downloads,
// autosave and reset, dark mode, shortcuts, the narrow layout. Against the release build;
// no request leaves the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { MESHER, TEST, assertOwnOrigin, copyLink as harnessCopyLink, expectNotice, loadExample, meshFiles, openExample, openPage, screenshot, selectFile, texts, thousands, useBrowser } from './harness.mjs';
import { readZip } from './zip.mjs';

const env = useBrowser();

const CALLER = 'fn main() do\n  let pid = Process.whereis("mesher_registry")\n  pid\nend\n';

const copyLink = (page, context, how) => harnessCopyLink(page, context, env.server.origin, how);

/** Waits until the autosaved work holds `text`. */
const autosaved = (page, text) => page.waitForFunction((t) => (localStorage.getItem('mesh-playground/v1') ?? '').includes(t), text);

/** What the user sees of the state: selection, editor, view, an option, the diff and the report. */
async function seen(page) {
  return {
    selected: await page.locator('[data-testid=file-row].selected').getAttribute('data-path'),
    editor: await page.getByTestId('editor').inputValue(),
    view: await page.locator('[data-testid^=diff-mode-].active').getAttribute('data-testid'),
    helper: await page.getByTestId('opt-helper-name').inputValue(),
    diff: await texts(page.getByTestId('diff-line')),
    summary: await page.getByTestId('report-summary').textContent(),
  };
}

test('copy link → a fresh page shows the same files, selection, view, options and diff', TEST, async () => {
  const { page, context, requests, errors } = await openExample(env.browser, env.server.url);
  await selectFile(page, 'api/team.mpl');
  await page.getByTestId('diff-mode-split').click();
  await page.getByTestId('opt-helper-name').fill('cluster_registry');
  await page.getByTestId('diff-line').filter({ hasText: 'cluster_registry()' }).first().waitFor();
  const url = await copyLink(page, context);
  const before = await seen(page);
  assert.equal(before.selected, 'api/team.mpl');
  assert.equal(before.view, 'diff-mode-split');
  assert.ok(before.diff.length > 10);

  const fresh = await openPage(env.browser, url);
  await fresh.page.getByTestId('diff-line').filter({ hasText: 'cluster_registry()' }).first().waitFor();
  assert.deepEqual(await seen(fresh.page), before);
  await screenshot(fresh.page, 'share-1-link-opened');
  assertOwnOrigin(requests, errors, env.server.origin);
  assertOwnOrigin(fresh.requests, fresh.errors, env.server.origin);
  await fresh.context.close();
  await context.close();
});

test('a v1 link made before v2 links still opens as it was made', TEST, async () => {
  const fixture = join(MESHER, '..', '..', '..', 'core', 'tests', 'fixtures', 'permalink', 'node-mode-split.v1.link');
  const link = readFileSync(fixture, 'utf8');
  assert.ok(link.startsWith('v1.'));
  const { page, context, requests, errors } = await openPage(env.browser, `${env.server.url}#${link}`);
  await page.locator('[data-testid=file-row]').nth(2).waitFor();
  const rows = await page.getByTestId('file-row').evaluateAll((els) => els.map((e) => e.dataset.path));
  // The link's 3 files, and the helper file the rewrite creates (listed with a `new` badge).
  assert.deepEqual(rows, [...meshFiles().slice(0, 3), 'api/helpers.mpl']);
  assert.equal(await page.locator('[data-testid=file-row][data-path="api/helpers.mpl"].created').count(), 1);
  assert.equal(await page.getByTestId('opt-form-node-mode').isChecked(), true);
  assert.equal(await page.locator('[data-testid^=diff-mode-].active').getAttribute('data-testid'), 'diff-mode-split');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('the link meter gives the link length; a link to the example carries only the edits', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('editor').fill(CALLER);
  const small = await copyLink(page, context);
  const meter = page.getByTestId('link-meter');
  await meter.filter({ hasText: `${thousands(small.length)} characters · fits a chat message` }).waitFor();
  assert.ok(small.length <= 2000, String(small.length));

  // Reset asks (there is work), then brings the example: 24 files, yet the link holds no file text.
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-yes').click();
  await page.getByTestId('replacement').nth(40).waitFor({ state: 'attached' });
  const example = await copyLink(page, context);
  const fragment = new URL(example).hash.slice(1);
  assert.ok(fragment.length <= 120, `${fragment.length}: ${fragment}`);
  await meter.filter({ hasText: `${thousands(example.length)} characters · fits a chat message` }).waitFor();
  await screenshot(page, 'share-2-meter');
  console.log(`link length: one file ${small.length}, the example project (24 files) ${example.length}`);
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('a link too long to share is not copied silently: it offers the bundle, and copies when asked again', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.origin });
  // Text that does not compress: 12,000 characters of a hex counter hash in comments.
  let big = 'fn main() do\n  Process.whereis("mesher_registry")\nend\n';
  let x = 12345;
  for (let i = 0; i < 800; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    big += `# ${x.toString(36)}${(x * 7).toString(36)}\n`;
  }
  await page.getByTestId('editor').fill(big);
  const meter = page.getByTestId('link-meter');
  await meter.filter({ hasText: 'too long for a link: download a bundle' }).waitFor();
  const length = Number((await meter.textContent()).split(' ')[0].replaceAll(',', ''));
  assert.ok(length > 8000, String(length));
  await page.evaluate(() => navigator.clipboard.writeText('untouched'));
  await page.getByTestId('copy-link').click();
  await expectNotice(
    page,
    `This link is ${thousands(length)} characters: too long to share reliably. Download a bundle instead (Download bundle), or press Copy link again to copy it anyway.`,
  );
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'untouched');
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(await page.getByTestId('download-bundle').evaluate((e) => e.classList.contains('suggested')), true);
  await page.getByTestId('copy-link').click();
  await expectNotice(page, `Link copied (${thousands(length)} characters)`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('a bundle downloads as JSON and opens in a fresh page', TEST, async () => {
  const { page, context, requests, errors } = await openExample(env.browser, env.server.url);
  await selectFile(page, 'api/team.mpl');
  await page.getByTestId('diff-mode-project').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-bundle').click()]);
  assert.equal(download.suggestedFilename(), 'mesh-playground-bundle.json');
  const path = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'mesh-playground-bundle.json');
  await download.saveAs(path);
  const bundle = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(bundle.format, 'mesh-playground-bundle');
  assert.equal(bundle.version, 1);
  assert.deepEqual(bundle.files.map((f) => f.path).sort(), meshFiles());
  assert.equal(bundle.files.find((f) => f.path === 'api/team.mpl').text, readFileSync(join(MESHER, 'api/team.mpl'), 'utf8'));
  assert.equal(bundle.selected, 'api/team.mpl');
  assert.equal(bundle.view, 'project');
  assert.equal(bundle.rule.helper_name, 'get_registry');
  const before = await seen(page);

  const fresh = await openPage(env.browser, env.server.url);
  await fresh.page.getByTestId('open-bundle').setInputFiles(path);
  await expectNotice(fresh.page, 'Opened mesh-playground-bundle.json (24 files)');
  await fresh.page.getByTestId('replacement').nth(40).waitFor({ state: 'attached' });
  assert.deepEqual(await seen(fresh.page), before);

  // Something else is refused by name, and the project stays.
  await fresh.page.getByTestId('open-bundle').setInputFiles({
    name: 'package.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"name": "x"}'),
  });
  await expectNotice(fresh.page, 'package.json: this JSON file is not a playground bundle');
  assert.equal(await fresh.page.getByTestId('file-row').count(), 24);
  await screenshot(fresh.page, 'share-3-bundle-opened');
  assertOwnOrigin(requests, errors, env.server.origin);
  assertOwnOrigin(fresh.requests, fresh.errors, env.server.origin);
  await fresh.context.close();
  await context.close();
});

test('hostile or broken links are refused with a clear message; the page and the saved work stay', TEST, async () => {
  // A valid link to cut short.
  const maker = await openPage(env.browser, env.server.url);
  await maker.page.getByTestId('editor').fill(CALLER);
  const valid = new URL(await copyLink(maker.page, maker.context)).hash.slice(1);
  await maker.context.close();
  const payload = valid.slice(3);
  const truncated = `v2.${payload.slice(0, Math.floor(payload.length / 8) * 4)}`;
  // 51 MB of zeros deflate to ~50 KB: valid prefixes over a payload that expands past the cap
  // (v2: header byte 0x11 = dictionary 1, deflated).
  const zeros = deflateRawSync(Buffer.alloc(51 * 1024 * 1024), { level: 9 });
  const bomb = `v1.${zeros.toString('base64url')}`;
  const bomb2 = `v2.${Buffer.concat([Buffer.from([0x11]), zeros]).toString('base64url')}`;
  const cases = [
    ['hello', 'this link holds no playground state (expected it to start with `v2.` or `v1.`)'],
    ['v9.AAAA', 'this link was made by a different version of the playground (`v9`); this page reads `v1` and `v2` links'],
    ['v1.!!!!', 'this link is damaged: it has characters a link cannot hold'],
    [truncated, 'this link is damaged or cut short: its data does not decompress'],
    [bomb, 'this link expands to more than 50 MB; it was not opened'],
    [bomb2, 'this link expands to more than 50 MB; it was not opened'],
  ];
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  const saved = 'fn saved() do\n  Process.whereis("mesher_registry")\nend\n';
  await page.getByTestId('editor').fill(saved);
  await autosaved(page, 'fn saved()');
  for (const [fragment, message] of cases) {
    await page.goto('about:blank');
    await page.goto(`${env.server.url}#${fragment}`);
    await expectNotice(page, `The link could not be opened: ${message}`);
    // The autosaved work is what the page shows, untouched.
    assert.equal(await page.getByTestId('editor').inputValue(), saved, fragment.slice(0, 20));
  }
  await screenshot(page, 'share-4-hostile');
  // The page still works.
  await page.getByTestId('editor').fill(CALLER);
  await page.getByTestId('diff-line').filter({ hasText: '+  let pid = get_registry()' }).waitFor();
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('a link to a different project asks before replacing autosaved work', TEST, async () => {
  const other = 'fn other() do\n  Process.whereis("mesher_registry")\nend\n';
  const maker = await openPage(env.browser, env.server.url);
  await maker.page.getByTestId('editor').fill(other);
  const link = await copyLink(maker.page, maker.context);
  await maker.context.close();

  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('editor').fill(CALLER);
  await autosaved(page, 'fn main()');
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByTestId('link-confirm').waitFor();
  assert.equal(
    await page.getByTestId('link-confirm').locator('span').textContent(),
    'This link holds a different project (1 files). Open it and replace your autosaved work?',
  );
  assert.equal(await page.getByTestId('editor').inputValue(), CALLER, 'the work shows while asking');
  await screenshot(page, 'share-5-link-confirm');
  await page.getByTestId('link-keep').click();
  assert.equal(await page.getByTestId('link-confirm').count(), 0);
  assert.equal(await page.getByTestId('editor').inputValue(), CALLER);
  assert.equal(new URL(page.url()).hash, '', 'the link is put away');

  await page.goto('about:blank');
  await page.goto(link);
  await page.getByTestId('link-open').click();
  assert.equal(await page.getByTestId('editor').inputValue(), other);
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('work is autosaved across reloads; reset asks, then brings back the example', TEST, async () => {
  const { page, context, requests, errors } = await openExample(env.browser, env.server.url);
  await selectFile(page, 'api/detail.mpl');
  const edited = `${readFileSync(join(MESHER, 'api/detail.mpl'), 'utf8')}\n# edited\n`;
  await page.getByTestId('editor').fill(edited);
  await autosaved(page, '# edited');
  await page.reload();
  await page.getByTestId('editor').waitFor();
  await page.locator('[data-testid=file-row][data-path="api/detail.mpl"].selected').waitFor();
  assert.equal(await page.getByTestId('editor').inputValue(), edited);

  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').waitFor();
  await screenshot(page, 'share-6-reset-confirm');
  await page.getByTestId('reset-no').click();
  assert.equal(await page.getByTestId('editor').inputValue(), edited, 'cancel keeps the work');

  await page.getByTestId('reset').click();
  await page.getByTestId('reset-yes').click();
  await page.locator('[data-testid=file-row][data-path="api/alerts.mpl"].selected').waitFor();
  assert.equal(await page.getByTestId('editor').inputValue(), readFileSync(join(MESHER, 'api/alerts.mpl'), 'utf8'));
  assert.equal(await page.getByTestId('file-row').count(), 24);
  // Nothing left to lose: a second reset does not ask.
  await page.getByTestId('reset').click();
  assert.equal(await page.getByTestId('reset-confirm').count(), 0);
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('downloads: the patch applies with git apply and gives the zip; the current file', TEST, async () => {
  const { page, context, requests, errors } = await openExample(env.browser, env.server.url);
  // The form the verdict finds safe downloads without asking (page-verdict tests the asking).
  await page.getByTestId('opt-form-node-local').check();
  await page.locator('[data-testid=verdict-form][data-form=node-local].current').waitFor({ timeout: 15000 });
  await selectFile(page, 'api/team.mpl');
  const dir = mkdtempSync(join(tmpdir(), 'downloads-'));
  const save = async (testid) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    const path = join(dir, download.suggestedFilename());
    await download.saveAs(path);
    return path;
  };
  const patch = await save('download-patch');
  const zip = readZip(readFileSync(await save('download-zip')));
  const file = await save('download-file');
  assert.deepEqual(
    [patch, file].map((p) => relative(dir, p)),
    ['mesh-rewrite-node-local.patch', 'team.mpl'],
  );
  assert.deepEqual([...zip.keys()].sort(), meshFiles());

  // The patch turns the example into exactly the zip's files.
  const repo = join(dir, 'repo');
  cpSync(MESHER, repo, { recursive: true });
  execFileSync('git', ['apply', '--whitespace=nowarn', patch], { cwd: repo, timeout: 30_000 });
  for (const [path, bytes] of zip) assert.equal(readFileSync(join(repo, path), 'utf8'), bytes.toString('utf8'), path);
  const changed = readFileSync(patch, 'utf8').match(/^diff --git /gm).length;
  assert.equal(changed, 9, '8 handler files and the helper file');
  assert.equal(readFileSync(file, 'utf8'), zip.get('api/team.mpl').toString('utf8'));
  assert.ok(readFileSync(file, 'utf8').includes('get_registry()'));
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('dark mode follows the system, and the toggle picks light or dark and is kept', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const toggle = page.getByTestId('theme-toggle');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await background(), 'rgb(247, 247, 248)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await toggle.textContent(), 'Theme: system');
  assert.equal(await background(), 'rgb(22, 23, 26)');
  await loadExample(page);
  await screenshot(page, 'share-7-dark');

  await toggle.click();
  assert.equal(await toggle.textContent(), 'Theme: light');
  assert.equal(await background(), 'rgb(247, 247, 248)', 'light chosen over a dark system');
  await toggle.click();
  assert.equal(await toggle.textContent(), 'Theme: dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await background(), 'rgb(22, 23, 26)', 'dark chosen over a light system');
  await page.reload();
  await toggle.waitFor();
  assert.equal(await toggle.textContent(), 'Theme: dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await background(), 'rgb(22, 23, 26)');
  await toggle.click();
  assert.equal(await toggle.textContent(), 'Theme: system');
  assert.equal(await background(), 'rgb(247, 247, 248)');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('keyboard: ? lists the shortcuts (not while typing), Ctrl+S copies the link, Ctrl+Enter runs the rewrite at once', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  await page.getByTestId('editor').fill(CALLER);
  await page.getByTestId('editor').press('?');
  assert.equal(await page.getByTestId('shortcuts').count(), 0, '? in the editor is just a character');
  assert.equal(await page.getByTestId('editor').inputValue(), `${CALLER}?`);
  await page.getByTestId('editor').fill(CALLER);

  await page.locator('h1').click();
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').waitFor();
  assert.deepEqual(await texts(page.getByTestId('shortcuts').locator('dt, dd')), [
    'Ctrl/Cmd + S',
    'Copy a link to this state',
    'Ctrl/Cmd + Enter',
    'Re-run the rewrite',
    '?',
    'Show these shortcuts',
    'Esc',
    'Close this list',
  ]);
  await screenshot(page, 'share-8-shortcuts');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('shortcuts').count(), 0);

  await copyLink(page, context, () => page.keyboard.press('Control+s'));

  // Ctrl+Enter runs the rewrite at once, not when the run that typing schedules comes. In one task the
  // page gets an edit (an input event, as typing sends) and then, or not, Ctrl+Enter. A 0 ms timer set
  // before them fires before any timer the page sets after them (the debounced run's, even at 0 ms), so
  // the diff can show the edit before that timer only if Ctrl+Enter ran the rewrite.
  const race = (name, shortcut) =>
    page.evaluate(
      ({ name, shortcut }) =>
        new Promise((resolve) => {
          const editor = document.querySelector('[data-testid=editor]');
          const diff = document.querySelector('[data-testid=diff]');
          setTimeout(() => resolve('the timer first'), 0);
          new MutationObserver((_, observer) => {
            if (diff.textContent.includes(`let ${name} = get_registry()`)) {
              observer.disconnect();
              resolve('the rewrite first');
            }
          }).observe(diff, { subtree: true, childList: true, characterData: true });
          editor.value = editor.value.replace('  pid\n', `  let ${name} = Process.whereis("mesher_registry")\n  pid\n`);
          editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
          if (shortcut) {
            editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
          }
        }),
      { name, shortcut },
    );
  const added = (name) => page.locator('[data-testid=diff-line].add .text', { hasText: `let ${name} = get_registry()` });
  // Without the shortcut the edit waits for the debounced run: the check tells the two apart.
  assert.equal(await race('typed', false), 'the timer first');
  await added('typed').waitFor();
  assert.equal(await race('pressed', true), 'the rewrite first');
  assert.deepEqual(await page.locator('[data-testid=diff-line].add .text').evaluateAll((els) => els.map((e) => e.textContent)), [
    'from Api.Helpers import get_registry',
    '',
    '  let pid = get_registry()',
    '  let typed = get_registry()',
    '  let pressed = get_registry()',
  ]);
  await page.getByTestId('replacement').nth(2).waitFor();
  assert.deepEqual(await texts(page.getByTestId('replacement')), ['main.mpl:2:13 main', 'main.mpl:3:15 main', 'main.mpl:4:17 main']);
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});

test('on a phone-sized screen the tabs show one region at a time, without sideways scrolling', TEST, async () => {
  const { page, context, requests, errors } = await openExample(env.browser, env.server.url, { viewport: { width: 390, height: 844 } });
  const layout = page.getByTestId('layout');
  // Each tab's pane, and the region in it.
  const regions = { files: 'file-tree', source: 'editor', diff: 'diff', report: 'report', tree: 'tree-view' };
  for (const tab of Object.keys(regions)) {
    await page.getByTestId(`tab-${tab}`).click();
    assert.equal(await layout.getAttribute('data-tab'), tab);
    for (const [pane, region] of Object.entries(regions)) {
      const shown = pane === tab;
      assert.equal(await page.locator(`[data-pane="${pane}"]`).isVisible(), shown, `${pane} pane under ${tab}`);
      assert.equal(await page.getByTestId(region).isVisible(), shown, `${region} under ${tab}`);
    }
    if (tab === 'diff') await screenshot(page, 'share-9-narrow-diff');
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling (${width}px)`);
  await screenshot(page, 'share-9-narrow-tree');
  assertOwnOrigin(requests, errors, env.server.origin);
  await context.close();
});
