// The cluster simulator panel against the release build: outcomes per scenario and helper form,
// the trace of a cell, the remote-calls option, the timeline's node states, the helper taken from
// the rewritten project, and scenario/seed/step in the permalink. Every page a test opens is closed
// after it (the harness's afterEach), passed or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, TEST, copyLink, expectSimGrid as expectGrid, formChecked, openExample, openPage, screenshot, texts, useBrowser } from './harness.mjs';

const env = useBrowser();

/** Opens the example with the given helper form and shows the simulator on `scenario`. */
async function simulator(form, scenario, options = {}) {
  const opened = await openExample(env.browser, env.server.url, options);
  const { page } = opened;
  const radio = page.getByTestId(`opt-form-${form}`);
  // On a narrow screen the options are on the Report tab.
  if (!(await radio.isVisible())) await page.getByTestId('tab-report').click();
  await radio.click();
  await formChecked(page, form);
  await page.getByTestId('tab-simulator').click();
  await page.getByTestId('sim-scenario').selectOption(scenario);
  // A custom helper starts empty: nothing to run until the test writes one.
  if (form !== 'custom') await page.getByTestId('sim-cell').first().waitFor();
  return opened;
}

/** The grid of each scenario with the node-mode helper. */
const NODE_MODE = {
  standalone: ['100 a handle_event: before ok · after ok', '100 a handle_list_issues: before ok · after ok'],
  'late-join': ['500 a handle_event: before ok · after ok', '500 b handle_event: before ok · after crash'],
  'concurrent-register': ['500 a handle_event: before ok · after ok', '500 b handle_event: before ok · after ok'],
  'owner-down': ['500 b handle_event: before ok · after crash', '900 b handle_event: before ok · after hang'],
  'registry-not-ready': [
    '300 b handle_event: before hang · after crash',
    '300 c handle_event: before hang · after hang',
    '600 b handle_event: before ok · after crash',
  ],
};
/** late-join where every request ends as it did before the rewrite. */
const LATE_JOIN_OK = ['500 a handle_event: before ok · after ok', '500 b handle_event: before ok · after ok'];

/** The node cards shown, by node. */
const cards = (page) => page.getByTestId('node-card').evaluateAll((els) => els.map((e) => e.dataset.node));

/** A node card's table (`sim-local` or `sim-global`) as `name=pid` strings; the card and its table
 *  must be there (no card would read as an empty table). */
async function table(page, node, which) {
  const tables = page.locator(`[data-testid=node-card][data-node=${node}] [data-testid=${which}]`);
  assert.equal(await tables.count(), 1, `node ${node}'s ${which} table`);
  return tables.locator('tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.name}=${r.dataset.pid}`));
}

/** The trace's lines as shown, blank ones left out. */
const traceLines = async (page) => (await page.getByTestId('sim-trace').innerText()).split('\n').filter((l) => l !== '');

/** What the trace says of b's lookup before the rewrite (the same in late-join and owner-down). */
const B_BEFORE = [
  'Before the rewrite: ok',
  'Process.whereis("mesher_registry") → <b.1>',
  "read b's local registry, which held: mesher_registry → <b.1>",
  "The lookup returned <b.1>, b's PipelineRegistry; then PipelineRegistry.get_pool(reg).",
  'Why: <b.1> runs on b: a local service call, answered.',
];

const cell = (page, node, time) => page.locator(`[data-testid=sim-cell][data-node=${node}][data-time="${time}"]`);

test('late-join, node-mode: b crashes after the rewrite, and the trace says why', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'late-join');
  await expectGrid(page, NODE_MODE['late-join']);
  assert.equal(await page.getByTestId('sim-compiles').innerText(), 'Helper compiles (node-mode)');
  assert.match(await cell(page, 'b', 500).getAttribute('class'), /\bbefore-ok\b.*\bafter-crash\b/);
  assert.match(await cell(page, 'a', 500).getAttribute('class'), /\bbefore-ok\b.*\bafter-ok\b/);

  await cell(page, 'b', 500).click();
  await page.getByTestId('sim-trace').waitFor();
  // The whole trace, both sides (the heading is drawn in capitals).
  assert.deepEqual(await traceLines(page), [
    'HANDLE_EVENT ON NODE B AT 500 MS',
    ...B_BEFORE,
    'After the rewrite: crash',
    'Node.self() → "b@sim" (at api/helpers.mpl:12:6)',
    'b is started',
    'Global.whereis("mesher_registry") → <a.1> (at api/helpers.mpl:13:5)',
    "read b's global-registry copy, which held: mesher_registry → <a.1>, mesher_registry@a@sim → <a.1>, mesher_registry@b@sim → <b.1>",
    "The lookup returned <a.1>, a's PipelineRegistry; then PipelineRegistry.get_pool(reg).",
    'Why: <a.1> is on a, not b: a service call to a remote PID gets no usable reply, so the runtime crashes the handler.',
  ]);
  // Clicking a cell moves the timeline to the request: the cards show what the lookup read.
  assert.equal(await page.getByTestId('sim-position').innerText(), 'Step 18 of 18 · 500 ms');
  assert.deepEqual(await table(page, 'b', 'sim-global'), [
    'mesher_registry=<a.1>',
    'mesher_registry@a@sim=<a.1>',
    'mesher_registry@b@sim=<b.1>',
  ]);
  assert.deepEqual(await table(page, 'b', 'sim-local'), ['mesher_registry=<b.1>']);
  await page.setViewportSize({ width: 1280, height: 1500 });
  await screenshot(page, 'simulator-late-join-node-mode');
  await page.getByTestId('simulator').screenshot({ path: join(ARTIFACTS, 'simulator-panel-light.png') });
  assert.deepEqual(errors, []);
});

test('late-join, plan form: does not compile, simulated with its meaning, b stays ok', TEST, async () => {
  const { page, errors } = await simulator('plan', 'late-join');
  await expectGrid(page, LATE_JOIN_OK);
  const compiles = page.getByTestId('sim-compiles');
  assert.equal(await compiles.getAttribute('data-compiles'), 'false');
  assert.equal(
    await compiles.innerText(),
    'Helper does not compile: api/helpers.mpl:14:6: error[E0001]: type mismatch: Pid compared with Int (`!=`)' +
      ' — simulated with its intended meaning (a PID compared with 0 means not found)',
  );
  assert.deepEqual(errors, []);
});

test('remote service calls working turns the crash into ok-remote', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'late-join');
  await expectGrid(page, NODE_MODE['late-join']);
  await page.getByTestId('sim-remote').check();
  await expectGrid(page, ['500 a handle_event: before ok · after ok', '500 b handle_event: before ok · after ok-remote']);
  assert.match(await cell(page, 'b', 500).getAttribute('class'), /\bafter-ok-remote\b/);
  await cell(page, 'b', 500).click();
  assert.ok(
    (await page.getByTestId('sim-trace').innerText()).includes(
      'Why: <a.1> is on a; with remote service calls working (an assumption, not today\'s runtime) the call is answered over the session.',
    ),
  );
  await page.getByTestId('sim-remote').uncheck();
  await expectGrid(page, NODE_MODE['late-join']);
  assert.deepEqual(errors, []);
});

test('the timeline: scrub, step and reset move the node cards through the log', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'late-join');
  const position = page.getByTestId('sim-position');
  assert.equal(await position.innerText(), 'Step 0 of 18: before the first event');
  // Before the first event both nodes have a card, every table empty (and saying so).
  assert.deepEqual(await cards(page), ['a', 'b']);
  for (const node of ['a', 'b']) {
    for (const which of ['sim-local', 'sim-global']) assert.deepEqual(await table(page, node, which), [], `${node} ${which}`);
  }
  assert.equal(await page.locator('[data-testid=node-card] .sim-empty').count(), 4);

  // Step 8: b has received a's snapshot; b's own registry has not booted.
  await page.getByTestId('sim-scrub').fill('8');
  assert.equal(await position.innerText(), 'Step 8 of 18 · 110 ms');
  assert.equal(
    await page.locator('[data-testid=sim-event].current').innerText(),
    '110\nb\nreceived snapshot from a: merged mesher_registry -> <a.1>, mesher_registry@a@sim -> <a.1>; skipped (already here) none',
  );
  assert.deepEqual(await table(page, 'a', 'sim-local'), ['mesher_registry=<a.1>']);
  assert.deepEqual(await table(page, 'a', 'sim-global'), ['mesher_registry=<a.1>', 'mesher_registry@a@sim=<a.1>']);
  assert.deepEqual(await table(page, 'b', 'sim-local'), []);
  assert.deepEqual(await table(page, 'b', 'sim-global'), ['mesher_registry=<a.1>', 'mesher_registry@a@sim=<a.1>']);
  const card = page.locator('[data-testid=node-card][data-node=b]');
  assert.equal(await card.locator('.sim-status').innerText(), 'up · started as b@sim');
  assert.deepEqual(await texts(card.locator('.sim-meta')), ['peers: a', 'processes: none']);

  // Step 13 .. 15: b's app boots and its global registration of the well-known name is refused.
  for (let i = 0; i < 7; i++) await page.getByTestId('sim-step').click();
  assert.equal(await position.innerText(), 'Step 15 of 18 · 300 ms');
  assert.deepEqual(await table(page, 'b', 'sim-local'), ['mesher_registry=<b.1>']);
  assert.deepEqual(await table(page, 'b', 'sim-global'), [
    'mesher_registry=<a.1>',
    'mesher_registry@a@sim=<a.1>',
    'mesher_registry@b@sim=<b.1>',
  ]);
  await screenshot(page, 'simulator-timeline-step-15');

  await page.getByTestId('sim-run').click();
  assert.equal(await position.innerText(), 'Step 18 of 18 · 500 ms');
  assert.equal(await page.getByTestId('sim-step').isDisabled(), true);
  await page.getByTestId('sim-reset').click();
  assert.equal(await position.innerText(), 'Step 0 of 18: before the first event');
  assert.deepEqual(await cards(page), ['a', 'b']);
  assert.deepEqual(await table(page, 'b', 'sim-local'), []);
  assert.deepEqual(await table(page, 'b', 'sim-global'), []);
  assert.deepEqual(errors, []);
});

test('owner-down, node-mode: the late request hangs; every scenario gives its exact grid', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'owner-down');
  await expectGrid(page, NODE_MODE['owner-down']);
  await cell(page, 'b', 900).click();
  await page.getByTestId('sim-trace').waitFor();
  assert.deepEqual(await traceLines(page), [
    'HANDLE_EVENT ON NODE B AT 900 MS',
    ...B_BEFORE,
    'After the rewrite: hang',
    'Node.self() → "b@sim" (at api/helpers.mpl:12:6)',
    'b is started',
    'Global.whereis("mesher_registry") → 0 (at api/helpers.mpl:13:5)',
    "read b's global-registry copy, which held: mesher_registry@b@sim → <b.1>",
    'The lookup returned 0, i.e. not found; then PipelineRegistry.get_pool(reg).',
    "Why: the lookup returned 0, so PipelineRegistry.get_pool(reg) calls b's main process, which never replies: the handler hangs.",
  ]);
  // a is down at the request: its card says so.
  const a = page.locator('[data-testid=node-card][data-node=a]');
  assert.equal(await a.locator('.sim-status').innerText(), 'down');
  assert.deepEqual(await texts(a.locator('.sim-meta')), ['peers: none', 'processes: none']);
  await screenshot(page, 'simulator-owner-down-node-mode');

  for (const scenario of ['standalone', 'late-join', 'concurrent-register', 'registry-not-ready']) {
    await page.getByTestId('sim-scenario').selectOption(scenario);
    await expectGrid(page, NODE_MODE[scenario]);
  }
  assert.deepEqual(errors, []);
});

test('the simulated helper is the project\'s: a custom helper changes the run, an unsupported one is refused', TEST, async () => {
  const { page, errors } = await simulator('custom', 'late-join');
  const custom = page.getByTestId('opt-custom-text');
  await custom.fill('pub fn get_registry() do\n  Process.whereis("mesher_registry")\nend\n');
  await expectGrid(page, LATE_JOIN_OK);
  assert.equal(await page.getByTestId('sim-compiles').innerText(), 'Helper compiles (custom)');
  await custom.fill('pub fn get_registry() do\n  Global.whereis("mesher_registry")\nend\n');
  await expectGrid(page, NODE_MODE['late-join']);
  await custom.fill('pub fn get_registry() do\n  Map.get(m, "k")\nend\n');
  const error = page.getByTestId('sim-error');
  await error.waitFor();
  // Line 9 of the helper file: the custom text follows the file's header.
  assert.equal(await error.innerText(), 'cannot simulate: call to Map.get at 9:3 (in api/helpers.mpl)');
  assert.equal(await page.getByTestId('sim-cell').count(), 0);
  assert.deepEqual(errors, []);
});

test('editing the helper file in the editor changes the simulation', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'late-join');
  await expectGrid(page, NODE_MODE['late-join']);
  await page.getByTestId('tab-rewrite').click();
  await page.locator('[data-testid=file-row][data-path="api/helpers.mpl"]').click();
  const editor = page.getByTestId('editor');
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.startsWith('##! Helpers shared'));
  // The project now brings its own helper: the rewrite keeps it, and the simulator runs it.
  const own = '\npub fn get_registry() do\n  Process.whereis("mesher_registry")\nend\n';
  await editor.fill((await editor.inputValue()) + own);
  await page.getByTestId('tab-simulator').click();
  await expectGrid(page, LATE_JOIN_OK);
  assert.equal(await page.getByTestId('sim-compiles').innerText(), 'Helper compiles (project)');
  assert.equal(
    await page.getByTestId('sim-helper').textContent(),
    'pub fn get_registry() do\n  Process.whereis("mesher_registry")\nend',
  );
  assert.deepEqual(errors, []);
});

test('scenario, seed and step travel in the permalink', TEST, async () => {
  const { page, errors, context } = await simulator('node-mode', 'owner-down');
  await page.getByTestId('sim-seed').fill('7');
  await page.getByTestId('sim-seed').press('Enter');
  for (let i = 0; i < 3; i++) await page.getByTestId('sim-step').click();
  const position = 'Step 3 of 20 · 0 ms';
  assert.equal(await page.getByTestId('sim-position').innerText(), position);
  const url = await copyLink(page, context, env.server.origin);

  const fresh = await openPage(env.browser, url);
  await fresh.page.getByTestId('tab-simulator').click();
  await fresh.page.getByTestId('sim-cell').first().waitFor();
  assert.equal(await fresh.page.getByTestId('sim-scenario').inputValue(), 'owner-down');
  assert.equal(await fresh.page.getByTestId('sim-seed').inputValue(), '7');
  assert.equal(await fresh.page.getByTestId('sim-position').innerText(), position);
  await expectGrid(fresh.page, NODE_MODE['owner-down']);
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
});

test('narrow screen: the simulator tab shows the grid and the cards', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'registry-not-ready', { viewport: { width: 390, height: 844 } });
  await expectGrid(page, NODE_MODE['registry-not-ready']);
  await page.getByTestId('sim-run').click();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page scrolls sideways: ${width}px`);
  assert.ok(await page.locator('[data-testid=node-card][data-node=c]').isVisible());
  await screenshot(page, 'simulator-narrow');
  assert.deepEqual(errors, []);
});

/**
 * The WCAG 2.x contrast of the text of every element under `root` that holds text of its own: its
 * computed colour against the background it is drawn on (its own, or the nearest ancestor's that is
 * not transparent; translucent ones are laid over what is below them). As `{ text, ratio, large }`,
 * `large` for 24 px text or 18.66 px bold (which need 3, not 4.5).
 */
function contrasts(locator) {
  return locator.evaluateAll((roots) => {
    const parse = (css) => {
      const rgb = css.match(/^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/);
      if (rgb) return { rgb: [rgb[1], rgb[2], rgb[3]].map(Number), alpha: rgb[4] === undefined ? 1 : Number(rgb[4]) };
      const srgb = css.match(/^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/);
      if (srgb) return { rgb: [srgb[1], srgb[2], srgb[3]].map((c) => Number(c) * 255), alpha: srgb[4] === undefined ? 1 : Number(srgb[4]) };
      throw new Error(`a colour this check does not read: ${css}`);
    };
    const over = (top, below) => top.rgb.map((c, i) => c * top.alpha + below[i] * (1 - top.alpha));
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const layer = parse(getComputedStyle(e).backgroundColor);
        if (layer.alpha > 0) layers.push(layer);
        if (layer.alpha === 1) break;
      }
      // Under everything, the canvas: white unless an opaque ancestor was found.
      return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255]);
    };
    const luminance = (rgb) =>
      rgb
        .map((c) => c / 255)
        .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const out = [];
    for (const root of roots) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim()).join(' ').trim();
        if (!own) continue;
        const style = getComputedStyle(el);
        const bg = background(el);
        const fg = over(parse(style.color), bg);
        const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        out.push({ text: own, ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100, large });
      }
    }
    return out;
  });
}

test('the grid reads well in dark and light: every outcome its own colour, all text at WCAG AA contrast', TEST, async () => {
  const { page, errors } = await simulator('node-mode', 'registry-not-ready', { colorScheme: 'dark' });
  await page.getByTestId('sim-remote').check();
  await expectGrid(page, [
    '300 b handle_event: before hang · after ok-remote',
    '300 c handle_event: before hang · after hang',
    '600 b handle_event: before ok · after ok-remote',
  ]);
  await cell(page, 'b', 300).click();
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.getByTestId('simulator').screenshot({ path: join(ARTIFACTS, 'simulator-panel-dark.png') });
  // The cells and the legend under them, which shows every outcome (crash is not in this grid).
  const grid = page.locator('[data-testid=sim-cell], .sim-legend');
  for (const scheme of ['dark', 'light']) {
    await page.emulateMedia({ colorScheme: scheme });
    const colours = await page.locator('.sim-legend .outcome').evaluateAll((spans) =>
      Object.fromEntries(spans.map((s) => [s.className, getComputedStyle(s).backgroundColor])),
    );
    assert.deepEqual(Object.keys(colours), ['outcome ok', 'outcome ok-remote', 'outcome hang', 'outcome crash'], scheme);
    assert.equal(new Set(Object.values(colours)).size, 4, `${scheme}: ${JSON.stringify(colours)}`);
    const measured = await contrasts(grid);
    // Every piece of text was measured: each cell's two outcomes and the dot between them, the legend's
    // words and its four outcomes.
    assert.deepEqual(
      measured.map((m) => m.text),
      [
        ...['before hang', 'after ok-remote', 'before hang', 'after hang', 'before ok', 'after ok-remote']
          .flatMap((outcome, i) => (i % 2 ? [outcome] : ['·', outcome])),
        "registry on the handler's node · answered by another node's registry, whose pool handles are useless here " +
          '(only if remote calls worked) · call to the main process (lookup gave 0) · service call to a PID on another node',
        'ok',
        'ok-remote',
        'hang',
        'crash',
      ],
      scheme,
    );
    const poor = measured.filter((m) => m.ratio < (m.large ? 3 : 4.5));
    assert.deepEqual(poor, [], `${scheme}: text below WCAG AA contrast`);
  }
  assert.deepEqual(errors, []);
});
