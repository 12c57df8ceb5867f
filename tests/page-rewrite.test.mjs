// Seeing the rewrite, against the release build: the example's report and checklist, exact
// diffs (unified, side by side, whole project), click-through from the report to the editor,
// options that re-run, the parse-tree panel, the file tree, and live typing in a big file.
// The page's latencies are measured by `cargo xtask bench page`, not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE_DIAGNOSTICS, EXAMPLE_SUMMARY as SUMMARY, TEST, bigFile, openExample as harnessOpenExample, openPage, screenshot, selectFile, texts, useBrowser } from './harness.mjs';

const env = useBrowser();

/** Every replacement the rewrite makes in the example (41 in 8 files), in the report's order. */
const REPLACEMENTS = [
  'api/alerts.mpl:69:17 handle_list_alert_rules',
  'api/alerts.mpl:78:17 handle_create_alert_rule',
  'api/alerts.mpl:94:17 handle_toggle_alert_rule',
  'api/alerts.mpl:105:17 handle_delete_alert_rule',
  'api/alerts.mpl:115:17 handle_list_alerts',
  'api/alerts.mpl:134:17 handle_acknowledge_alert',
  'api/alerts.mpl:140:17 handle_resolve_alert',
  'api/dashboard.mpl:52:17 handle_event_volume',
  'api/dashboard.mpl:59:17 handle_level_breakdown',
  'api/dashboard.mpl:67:17 handle_top_issues',
  'api/dashboard.mpl:87:17 handle_tag_breakdown',
  'api/dashboard.mpl:98:17 handle_issue_timeline',
  'api/dashboard.mpl:119:17 handle_project_health',
  'api/detail.mpl:48:17 handle_event_detail',
  'api/search.mpl:39:17 handle_search_issues',
  'api/search.mpl:59:17 handle_search_events',
  'api/search.mpl:71:17 handle_filter_by_tag',
  'api/search.mpl:83:17 handle_issue_events',
  'api/settings.mpl:46:17 handle_get_settings',
  'api/settings.mpl:57:17 handle_update_settings',
  'api/settings.mpl:82:17 handle_storage_stats',
  'api/team.mpl:44:17 handle_list_members',
  'api/team.mpl:54:17 handle_add_member',
  'api/team.mpl:76:17 handle_update_member_role',
  'api/team.mpl:102:17 handle_remove_member',
  'api/team.mpl:121:17 handle_list_api_keys',
  'api/team.mpl:131:17 handle_create_api_key',
  'api/team.mpl:143:17 handle_revoke_api_key',
  'ingestion/routes.mpl:54:17 handle_event',
  'ingestion/routes.mpl:97:17 handle_bulk',
  'ingestion/routes.mpl:123:17 broadcast_issue_count',
  'ingestion/routes.mpl:132:17 broadcast_event',
  'ingestion/routes.mpl:147:17 handle_list_issues',
  'ingestion/routes.mpl:202:17 handle_resolve_issue',
  'ingestion/routes.mpl:208:17 handle_archive_issue',
  'ingestion/routes.mpl:214:17 handle_unresolve_issue',
  'ingestion/routes.mpl:220:17 handle_assign_issue',
  'ingestion/routes.mpl:243:17 handle_discard_issue',
  'ingestion/routes.mpl:251:17 handle_delete_issue',
  'ingestion/ws_handler.mpl:87:17 handle_subscribe_update',
  'ingestion/ws_handler.mpl:101:17 handle_ingest_message',
];

const CHECKS = [
  '✓ changed files parse: 9 changed files parse without new errors',
  '✓ registry lookup left only in excluded files and the helper: left only in api/helpers.mpl:13 (helper), ingestion/pipeline.mpl:88 (excluded)',
  '✓ helper called in every file that had lookups: get_registry() in all 8 files that had lookups',
  '✓ stay-local lookups unchanged: stream_manager: 4 before, 4 after',
  '✓ every file calling the helper imports it: all 8 files calling get_registry() import it from Api.Helpers',
  '✓ replacement counts match the plan: 41 replacements in 8 files, as planned',
  '✓ helper defined: api/helpers.mpl defines get_registry',
  '✗ no Pid compared with Int (compiles): api/helpers.mpl:14: Pid compared with Int',
];

/** Opens the page and the bundled example; resolves once the report is there. */
const openExample = () => harnessOpenExample(env.browser, env.server.url);

/** Unified rows as "kind|sign|text" plus gaps as "gap|label". */
async function unifiedRows(page) {
  return page.getByTestId('diff').evaluate((diff) =>
    [...diff.querySelectorAll('[data-testid="diff-line"], [data-testid="diff-gap"]')].map((el) =>
      el.dataset.testid === 'diff-gap'
        ? `gap|${el.textContent.trim()}`
        : `${el.classList[1]}|${el.querySelector('.sign').textContent}|${el.querySelector('.text').textContent}`,
    ),
  );
}

const DETAIL_UNIFIED = [
  'gap|⋯ 3 unchanged lines',
  'ctx| |# This module deliberately has no imports: it only uses the registry service and builtins.',
  'ctx| |# Stack frames are returned as stored; symbolication happens in the browser.',
  'ctx| |',
  'add|+|from Api.Helpers import get_registry',
  'add|+|',
  'ctx| |pub fn detail_routes(router :: Router) -> Router do',
  'ctx| |  router |> HTTP.on_get("/api/v1/events/:event_id", handle_event_detail)',
  'ctx| |end',
  'gap|⋯ 35 unchanged lines',
  'ctx| |end',
  'ctx| |',
  'ctx| |pub fn handle_event_detail(request :: Request) -> Response do',
  'del|-|  let reg_pid = Process.whereis("mesher_registry")',
  'add|+|  let reg_pid = get_registry()',
  'ctx| |  let pool = PipelineRegistry.get_pool(reg_pid)',
  'ctx| |  let event_id = Request.param(request, "event_id") |> Option.unwrap_or("")',
  'ctx| |  case lookup_event(pool, event_id) do',
  'gap|⋯ 5 unchanged lines',
];

test('the example: summary, every replacement, checklist, diagnostics, skipped lookups, timings', TEST, async () => {
  const { page, context, errors } = await openExample();
  assert.deepEqual(await texts(page.getByTestId('replacement')), REPLACEMENTS);
  assert.deepEqual(await texts(page.getByTestId('check')), CHECKS);
  assert.equal(await page.locator('[data-testid="check"].pass').count(), 7);
  assert.equal(await page.locator('[data-testid="check"].fail').count(), 1);
  assert.deepEqual(await texts(page.getByTestId('skipped')), [
    'ingestion/pipeline.mpl:87:30 comment',
    'ingestion/pipeline.mpl:88:17 excluded file',
  ]);
  const diagnostics = page.getByTestId('report-diagnostic');
  assert.deepEqual(await texts(diagnostics), EXAMPLE_DIAGNOSTICS);
  assert.deepEqual(
    await diagnostics.evaluateAll((els) => els.map((e) => e.classList[2])),
    ['error', 'warning', 'info', 'info', 'info', 'info'],
  );
  // Counts vs expected: the eight planned files, all matching.
  assert.equal(await page.getByTestId('count').count(), 8);
  assert.equal(await page.locator('[data-testid="count"].mismatch').count(), 0);
  assert.match(await page.getByTestId('timings').textContent(), /^parse \d+\.\d ms · rewrite \d+\.\d ms · diff \d+\.\d ms · verdict \d+\.\d ms$/);
  await screenshot(page, 'rewrite-1-example');
  assert.deepEqual(errors, []);
  await context.close();
});

test('diff of api/detail.mpl: exact lines unified and side by side; gaps expand; project view', TEST, async () => {
  const { page, context, errors } = await openExample();
  await selectFile(page, 'api/detail.mpl');
  await page.getByTestId('diff-mode-unified').click();
  assert.deepEqual(await unifiedRows(page), DETAIL_UNIFIED);
  // The change inside the replaced line is marked on both sides (wholly new lines need no mark).
  assert.deepEqual(await texts(page.locator('[data-testid="diff-line"].del mark')), ['Process.whereis("mesher_registry")']);
  assert.deepEqual(await texts(page.locator('[data-testid="diff-line"].add mark')), ['get_registry()']);
  // Diff lines are highlighted like the editor: the replaced call's name and its `let` on both sides.
  const replaced = page.locator('[data-testid="diff-line"].add', { hasText: 'let reg_pid = get_registry()' });
  assert.deepEqual(await texts(replaced.locator('.hl-function-call')), ['get_registry']);
  assert.deepEqual(await texts(replaced.locator('.hl-keyword')), ['let']);
  const removed = page.locator('[data-testid="diff-line"].del');
  assert.deepEqual(await texts(removed.locator('.hl-function-call')), ['whereis']);
  assert.deepEqual(await texts(removed.locator('.hl-string')), ['"mesher_registry"']);
  await screenshot(page, 'rewrite-2-unified');

  // A collapsed stretch opens in place with its original line numbers.
  await page.getByTestId('diff-gap').filter({ hasText: '⋯ 5 unchanged lines' }).click();
  const tail = await page.locator('[data-testid="diff-line"][data-old="56"]').textContent();
  assert.match(tail, /^5658 end$/);

  await page.getByTestId('diff-mode-split').click();
  await page.locator('[data-testid="diff"][data-mode="split"]').waitFor();
  const split = await page.locator('.split-row').evaluateAll((rows) =>
    rows.map((r) =>
      [...r.children]
        .map((c) => (c.classList.contains('empty') ? '∅' : `${c.classList[2]}:${c.querySelector('.text').textContent}`))
        .join(' ‖ '),
    ),
  );
  assert.deepEqual(split.slice(3, 5), ['∅ ‖ add:from Api.Helpers import get_registry', '∅ ‖ add:']);
  assert.ok(
    split.includes('del:  let reg_pid = Process.whereis("mesher_registry") ‖ add:  let reg_pid = get_registry()'),
    split.join('\n'),
  );
  assert.ok(split.includes('ctx:pub fn handle_event_detail(request :: Request) -> Response do ‖ ctx:pub fn handle_event_detail(request :: Request) -> Response do'));
  // Side by side, each half is highlighted from its own text; so is the whole-project view.
  const splitCall = page.locator('.split-row .cell.add', { hasText: 'let reg_pid = get_registry()' });
  assert.deepEqual(await texts(splitCall.locator('.hl-function-call')), ['get_registry']);
  await screenshot(page, 'rewrite-3-split');

  await page.getByTestId('diff-mode-project').click();
  const headers = await page.locator('[data-testid="diff-file"] header').evaluateAll((hs) =>
    hs.map((h) => [...h.children].map((c) => c.textContent).join(' ')),
  );
  assert.deepEqual(headers, [
    'api/alerts.mpl +8 −7',
    'api/dashboard.mpl +7 −6',
    'api/detail.mpl +3 −1',
    'api/helpers.mpl +13 −0',
    'api/search.mpl +5 −5',
    'api/settings.mpl +4 −3',
    'api/team.mpl +8 −7',
    'ingestion/routes.mpl +12 −12',
    'ingestion/ws_handler.mpl +3 −2',
  ]);
  const projectCall = page.locator('[data-testid="diff-file"][data-path="api/detail.mpl"] [data-testid="diff-line"].add', {
    hasText: 'let reg_pid = get_registry()',
  });
  assert.deepEqual(await texts(projectCall.locator('.hl-function-call')), ['get_registry']);
  await screenshot(page, 'rewrite-4-project');
  assert.deepEqual(errors, []);
  await context.close();
});

test('clicking a replacement selects the call in the editor (UTF-16 offsets) and marks its diff line', TEST, async () => {
  const { page, context, errors } = await openExample();
  await selectFile(page, 'api/detail.mpl');
  const editor = page.getByTestId('editor');
  // Non-ASCII text above the call: byte offsets and the textarea's UTF-16 offsets now differ.
  await editor.focus();
  await editor.evaluate((el) => el.setSelectionRange(0, 0));
  await page.keyboard.insertText('# naïve 😀 note\n');
  const item = page.getByTestId('replacement').filter({ hasText: /^api\/detail\.mpl:49:17 handle_event_detail$/ });
  await item.waitFor();
  await page.getByTestId('editor').evaluate((el) => el.blur());
  await item.click();
  const sel = await editor.evaluate((el) => ({ start: el.selectionStart, end: el.selectionEnd, value: el.value }));
  const call = 'Process.whereis("mesher_registry")';
  const expected = sel.value.indexOf(call);
  assert.ok(expected > 0);
  assert.deepEqual([sel.start, sel.end], [expected, expected + call.length]);
  assert.equal(sel.value.slice(sel.start, sel.end), call);
  assert.equal(await page.locator('[data-testid="diff-line"].focused').getAttribute('data-old'), '49');
  await screenshot(page, 'rewrite-5-focus');
  assert.deepEqual(errors, []);
  await context.close();
});

test('options re-run at once: node-mode clears E0001 and passes every check; a new helper name shows in the diff', TEST, async () => {
  const { page, context, errors } = await openExample();
  await page.getByTestId('opt-form-node-mode').check();
  await page.locator('[data-testid="check"].fail').waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid="check"].pass').count(), 8);
  // The example's diagnostics but E0001.
  assert.deepEqual(await texts(page.getByTestId('report-diagnostic')), EXAMPLE_DIAGNOSTICS.slice(1));

  // The new name reaches the diff: wait for the call under it, then the file's whole diff.
  await selectFile(page, 'api/detail.mpl');
  await page.getByTestId('diff-mode-unified').click();
  await page.getByTestId('opt-helper-name').fill('find_registry');
  await page.locator('[data-testid="diff-line"].add .text', { hasText: /^  let reg_pid = find_registry\(\)$/ }).waitFor();
  assert.deepEqual(await unifiedRows(page), DETAIL_UNIFIED.map((row) => row.replaceAll('get_registry', 'find_registry')));
  // …and the report: its checks name the new helper; the summary does not name it.
  await page.getByTestId('check').filter({ hasText: /^✓ helper defined: api\/helpers\.mpl defines find_registry$/ }).waitFor();
  assert.equal(await page.getByTestId('report-summary').textContent(), SUMMARY);

  // Custom form: its text goes into the helper file.
  await page.getByTestId('opt-form-custom').check();
  await page.getByTestId('opt-custom-text').fill('pub fn find_registry() do\n  Process.whereis("mesher_registry")\nend\n');
  await selectFile(page, 'api/helpers.mpl');
  await page.locator('[data-testid="diff-line"].add .text', { hasText: /^pub fn find_registry\(\) do$/ }).waitFor();
  await screenshot(page, 'rewrite-6-options');
  assert.deepEqual(errors, []);
  await context.close();
});

test('tree panel: clicking a node selects its range; moving the caret shows its node', TEST, async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const editor = page.getByTestId('editor');
  const tree = page.getByTestId('tree-view');
  await editor.fill('fn main() do\n  foo()\nend\n');
  const fn = tree.locator('[aria-expanded]', { has: page.locator('.kind', { hasText: /^function_definition$/ }) });
  await fn.click();
  assert.equal(await fn.getAttribute('aria-expanded'), 'true');
  let sel = await editor.evaluate((el) => [el.selectionStart, el.selectionEnd]);
  assert.deepEqual(sel, [0, 24]);
  await tree.locator('[role="treeitem"] .label', { hasText: /^name: identifier 1:4–1:8$/ }).click();
  sel = await editor.evaluate((el) => [el.selectionStart, el.selectionEnd]);
  assert.deepEqual(sel, [3, 7]);

  // The caret inside `foo`: the path to it opens and the identifier is marked.
  await editor.evaluate((el) => el.setSelectionRange(15, 15));
  await editor.press('ArrowRight');
  const current = page.getByTestId('tree-current');
  await current.filter({ hasText: /identifier 2:3–2:6$/ }).waitFor();
  assert.equal(await current.count(), 1);
  await screenshot(page, 'rewrite-7-tree');
  assert.deepEqual(errors, []);
  await context.close();
});

test('file tree: badges, changed-only filter, new / rename / delete', TEST, async () => {
  const { page, context, errors } = await openExample();
  const rows = page.getByTestId('file-row');
  assert.equal(await rows.count(), 24);
  const row = (p) => page.locator(`[data-testid="file-row"][data-path="${p}"]`);
  assert.deepEqual(await texts(row('api/detail.mpl').locator('.badge')), ['M', '1']);
  assert.deepEqual(await texts(row('ingestion/routes.mpl').locator('.badge')), ['M', '11']);
  assert.deepEqual(await texts(row('ingestion/pipeline.mpl').locator('.badge')), ['2 skipped']);
  assert.deepEqual(await texts(row('config.mpl').locator('.badge')), []);

  await page.getByTestId('filter-changed').check();
  assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => r.dataset.path)), [
    'api/alerts.mpl',
    'api/dashboard.mpl',
    'api/detail.mpl',
    'api/helpers.mpl',
    'api/search.mpl',
    'api/settings.mpl',
    'api/team.mpl',
    'ingestion/routes.mpl',
    'ingestion/ws_handler.mpl',
  ]);
  await page.getByTestId('filter-changed').uncheck();

  // A syntax error shows as a badge once the debounced run is done.
  await selectFile(page, 'config.mpl');
  await page.getByTestId('editor').focus();
  await page.getByTestId('editor').press('Control+End');
  await page.keyboard.insertText('\nfn broken( do\n');
  await row('config.mpl').getByTestId('badge-errors').waitFor();

  page.on('dialog', (d) => d.accept(d.message() === 'New file path' ? 'scratch/new.mpl' : 'scratch/renamed.mpl'));
  await page.getByTestId('new-file').click();
  await page.locator('[data-testid="file-row"][data-path="scratch/new.mpl"].selected').waitFor();
  assert.equal(await rows.count(), 25);
  await row('scratch/new.mpl').getByTestId('rename-file').click();
  await row('scratch/renamed.mpl').waitFor();
  assert.equal(await row('scratch/new.mpl').count(), 0);
  await row('scratch/renamed.mpl').getByTestId('delete-file').click();
  await row('scratch/renamed.mpl').waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 24);
  await screenshot(page, 'rewrite-8-files');
  assert.deepEqual(errors, []);
  await context.close();
});

test('typing in a 1,000-line file updates its diff', TEST, async () => {
  const { page, context, errors } = await openPage(env.browser, env.server.url);
  const editor = page.getByTestId('editor');
  // Pasted as one input event, as a paste is (playwright's fill inserts like an IME, which takes
  // Chromium seconds per 10 KB in any textarea and is not what this test is about).
  await editor.evaluate((el, text) => {
    el.value = text;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, bigFile(200));
  await page.getByTestId('report-summary').filter({ hasText: /^200 replacements in 1 file/ }).waitFor();
  const samples = [];
  for (let k = 0; k < 5; k++) {
    // One keystroke inside handler 100's response, then wait for the diff to show it.
    await page.evaluate(async (k) => {
      const el = document.querySelector('[data-testid="editor"]');
      const diff = document.querySelector('[data-testid="diff"]');
      const marker = `"ok 100${'x'.repeat(k + 1)}"`;
      const at = el.value.indexOf('"ok 100') + 7 + k;
      el.value = el.value.slice(0, at) + 'x' + el.value.slice(at);
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
      await new Promise((done, fail) => {
        // Polled with timers (headless Chromium may not run animation frames for this page), and
        // bounded: a regression fails the test instead of hanging CI.
        const give_up = performance.now() + 15_000;
        const check = () => {
          if (diff.textContent.includes(marker)) done();
          else if (performance.now() > give_up) fail(new Error(`the diff never showed ${marker}`));
          else setTimeout(check, 1);
        };
        check();
      });
    }, k);
    samples.push(await page.getByTestId('timings').textContent());
  }
  // The diff really shows the edit: handler 100's response line, as context next to its replaced lookup.
  const line = page.locator('[data-testid="diff-line"].ctx .text', { hasText: '"ok 100xxxxx"' });
  assert.equal(await line.textContent(), '  HTTP.response(200, "ok 100xxxxx")');
  // Every keystroke re-ran the engine: the timings line names each stage.
  for (const s of samples) assert.match(s, /^parse [\d.]+ ms · rewrite [\d.]+ ms · diff [\d.]+ ms · verdict [\d.]+ ms$/);
  await editor.evaluate((el) => el.blur());
  await screenshot(page, 'rewrite-9-big');
  assert.deepEqual(errors, []);
  await context.close();
});
