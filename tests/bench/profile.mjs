// Where a keystroke's time goes: types KEYS keys (700 ms apart) into the 1,050-line file of
// `page.mjs` and prints, per key, the browser main thread's time (wall and CPU from a Chrome trace,
// split into layout, style, paint and script), then the wasm/JS call tree by inclusive time from a
// sampling profile. Function names need a build that keeps them:
//   XTASK_WASM_NAMES=1 cargo xtask test page && node tests/bench/profile.mjs [--keys N] [--tree NAME]
// `--tree NAME` prints the call tree under the functions whose name contains NAME instead of the
// flat list. `--timeline` prints instead, for each key, the main thread's tasks from its keydown on
// (event, timer, layout with its dirty objects, paint), then what the last key invalidated: which
// task and which layout sit between a key and its painted diff. A developer's tool, not a test and
// not part of `cargo xtask bench page`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigFile, launchBrowser, startServer } from '../harness.mjs';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const keys = Number(arg('--keys')) || 10;
const treeOf = arg('--tree');
const timeline = process.argv.includes('--timeline');
const bound = { timeout: 60_000 };

async function openBigFile(page) {
  await page.getByTestId('load-example').click(bound);
  await page.getByTestId('report-summary').filter({ hasText: /^41 replacements/ }).waitFor(bound);
  const upload = { name: 'big.mpl', mimeType: 'text/plain', buffer: Buffer.from(bigFile(210)) };
  await page.getByTestId('upload-files').setInputFiles(upload);
  const add = page.getByTestId('bring-add');
  if (await add.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await add.click();
  await page.locator('[data-testid="file-row"][data-path="big.mpl"]').click(bound);
  await page.locator('[data-testid="file-row"][data-path="big.mpl"] [data-testid="badge-replacements"]').filter({ hasText: /^210$/ }).waitFor(bound);
  await page.getByTestId('editor').evaluate((el) => {
    const at = el.value.indexOf('"ok 100') + 7;
    el.focus();
    el.setSelectionRange(at, at);
  });
  await page.waitForTimeout(500);
}

const typeKeys = async (page) => {
  for (let k = 0; k < keys; k++) {
    await page.keyboard.type('x');
    await page.waitForTimeout(700);
  }
};

/// Main-thread time per key from a trace: tasks' wall and CPU time, and the lifecycle phases.
function traceSummary(path) {
  const events = JSON.parse(readFileSync(path, 'utf8')).traceEvents.filter((e) => e.ph === 'X' && e.dur);
  const byThread = new Map();
  for (const e of events) if (e.name === 'RunTask') byThread.set(e.tid, (byThread.get(e.tid) ?? 0) + e.dur);
  const main = [...byThread].sort((a, b) => b[1] - a[1])[0][0];
  const sum = (name, field = 'tdur') => events.filter((e) => e.tid === main && e.name === name).reduce((s, e) => s + (e[field] ?? e.dur), 0) / 1000 / keys;
  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(`main thread per key: wall ${ms(sum('RunTask', 'dur'))}, cpu ${ms(sum('RunTask'))}; ` +
    `layout ${ms(sum('Layout'))}, style ${ms(sum('UpdateLayoutTree'))}, paint ${ms(sum('Paint'))}, script ${ms(sum('FunctionCall'))}`);
}

/// Per key, the main thread's tasks and their notable parts from keydown on; then the layout and
/// style invalidations of the last key's re-render (what the frame after the engine lays out).
function printTimeline(path) {
  const events = JSON.parse(readFileSync(path, 'utf8')).traceEvents;
  const byThread = new Map();
  for (const e of events) if (e.name === 'RunTask' && e.dur) byThread.set(e.tid, (byThread.get(e.tid) ?? 0) + e.dur);
  const main = [...byThread].sort((a, b) => b[1] - a[1])[0][0];
  const shown = new Set(['RunTask', 'EventDispatch', 'TimerFire', 'FunctionCall', 'Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'Commit']);
  const mine = events.filter((e) => e.tid === main && e.ph === 'X' && shown.has(e.name) && e.dur > 300).sort((a, b) => a.ts - b.ts);
  const keydowns = events.filter((e) => e.tid === main && e.name === 'EventDispatch' && e.args?.data?.type === 'keydown').map((e) => e.ts);
  keydowns.forEach((kd, i) => {
    console.log(`--- key ${i + 1}: ms from keydown, +duration`);
    const next = keydowns[i + 1] ?? Infinity;
    for (const e of mine.filter((e) => e.ts >= kd - 500 && e.ts < Math.min(next - 500, kd + 150_000))) {
      const d = e.args?.data ?? {};
      const dirty = e.name === 'Layout' ? ` dirty ${e.args?.beginData?.dirtyObjects} of ${e.args?.beginData?.totalObjects}` : '';
      console.log(`${((e.ts - kd) / 1000).toFixed(1).padStart(7)} +${(e.dur / 1000).toFixed(1).padStart(5)} ${e.name} ${d.type ?? ''}${dirty}`);
    }
  });
  const last = keydowns[keydowns.length - 1];
  const counts = new Map();
  for (const e of events.filter((e) => e.tid === main && e.ts > last && /InvalidationTracking$/.test(e.name))) {
    const k = `${e.name} ${e.args?.data?.nodeName ?? ''} (${e.args?.data?.reason ?? ''})`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  console.log('--- invalidated by the last key');
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(n).padStart(5)} ${k}`);
}

/// Inclusive time per function (each counted once per sample), or the call tree under `treeOf`.
function profileSummary(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const name = (n) => n.callFrame.functionName || '(anonymous)';
  const ms = (us) => `${(us / 1000 / keys).toFixed(1).padStart(7)} ms/key`;
  if (treeOf) {
    const total = new Map();
    const inclusive = (n) => {
      if (!total.has(n.id)) total.set(n.id, (self.get(n.id) ?? 0) + (n.children ?? []).reduce((s, c) => s + inclusive(byId.get(c)), 0));
      return total.get(n.id);
    };
    const show = (n, depth) => {
      if (inclusive(n) < 1000 * keys || depth > 40) return;
      console.log(`${ms(inclusive(n))} ${' '.repeat(depth)}${name(n).slice(0, 120)}`);
      for (const c of n.children ?? []) show(byId.get(c), depth + 1);
    };
    const top = profile.nodes.filter((n) => name(n).includes(treeOf) && !name(byId.get(parent.get(n.id)) ?? n).includes(treeOf));
    for (const n of top) show(n, 0);
    return;
  }
  const inclusive = new Map();
  for (const [id, t] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur));
      if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${ms(t)} ${k.slice(0, 140)}`);
}

const server = await startServer();
const browser = await launchBrowser();
const scratch = mkdtempSync(join(tmpdir(), 'mesh-profile-'));
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await openBigFile(page);
  const trace = join(scratch, 'trace.json');
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];
  if (timeline) categories.push('disabled-by-default-devtools.timeline.invalidationTracking');
  await browser.startTracing(page, { path: trace, categories });
  await typeKeys(page);
  await browser.stopTracing();
  if (timeline) {
    printTimeline(trace);
    await context.close();
    process.exit(0);
  }
  traceSummary(trace);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await typeKeys(page);
  profileSummary((await cdp.send('Profiler.stop')).profile);
  await context.close();
} finally {
  await browser.close();
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
}
