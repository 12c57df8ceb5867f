// Shared pieces of the end-to-end tests: a static server for dist/ under a sub-path
// (proving the build's relative URLs), headless Chromium, a log of every request, and the steps
// and checks several test files take (notices, the own-origin check, copying a link, the example).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(process.env.DIST_DIR ?? join(here, '..', 'dist'));
export const ARTIFACTS = join(here, 'artifacts');
/** The page is served below this path, never at the root. */
export const SUB_PATH = '/sub/';

/** Every test's bound (node:test has none by default): a regression fails the test instead of hanging
 *  CI. The slowest test (typing in a big file) takes about 25 s here. Pass it as `test(name, TEST, fn)`. */
export const TEST = { timeout: 120_000 };
/** Every playwright wait's bound (set on each context, so it holds even where playwright's own default
 *  would not, e.g. under PWDEBUG); a wait that needs longer says so itself. */
export const WAIT_MS = 30_000;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Serves DIST at http://127.0.0.1:PORT/sub/; everything outside /sub/ is a 404. `rewrite(path, body)`
 *  may change a file's bytes as served (a test's stand-in for a new build). */
export async function startServer({ rewrite = (_path, body) => body } = {}) {
  statSync(join(DIST, 'index.html')); // fail early: run `cargo xtask test page` first
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(SUB_PATH)) {
      res.writeHead(404).end('outside the sub-path');
      return;
    }
    let file = normalize(join(DIST, path.slice(SUB_PATH.length)));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (path.endsWith('/')) file = join(file, 'index.html');
    try {
      const body = rewrite(path.slice(SUB_PATH.length) || 'index.html', readFileSync(file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: origin + SUB_PATH, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Debian Chromium with the flags this network needs (no background traffic). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The contexts `openPage` made that are still open (`useBrowser` closes them after each test). */
const open = new Set();

/**
 * A fresh page (fresh profile: playwright gives each context its own) that records
 * every request URL and every console error or uncaught exception.
 */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  context.setDefaultTimeout(WAIT_MS);
  open.add(context);
  context.on('close', () => open.delete(context));
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  // Attached, not visible: a link may open on the simulator tab, which hides the editor.
  await page.getByTestId('editor').waitFor({ state: 'attached' });
  return { page, context, requests, errors };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Starts the server and the browser before a test file's tests and stops them after; after each
 *  test, closes the contexts it left open (a failed test leaves its pages behind).
 *  The returned object's `server` and `browser` are set once the tests run. */
export function useBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  }, { timeout: 60_000 });
  afterEach(async () => {
    await Promise.all([...open].map((c) => c.close()));
  }, { timeout: WAIT_MS });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  }, { timeout: WAIT_MS });
  return env;
}

/** No console error (a CSP violation would be one) and no request to anywhere but `origin`. */
export function assertOwnOrigin(requests, errors, origin) {
  assert.deepEqual(errors, [], 'no console errors (a CSP violation would be one)');
  assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), [], 'only the page’s own origin');
}

/** Waits for a notice reading exactly `text` (a string, or a RegExp for the whole text). Notices pile
 *  up; each test waits for its own. */
export async function expectNotice(page, text) {
  const exact = text instanceof RegExp ? text : new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page.getByTestId('notice').locator('.notice-text').filter({ hasText: exact }).first().waitFor();
}

/** 12345 → "12,345", as the page writes counts. */
export const thousands = (n) => n.toLocaleString('en-US');

/** Copies a link to the page's state as the user does (the Copy link button, or `how`), with the
 *  clipboard granted for `origin`; asserts the clipboard and the address hold the link and the notice
 *  gives its exact length. Returns the link. */
export async function copyLink(page, context, origin, how = () => page.getByTestId('copy-link').click()) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  // Emptied first: a second copy of the same page must be seen to copy again.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await how();
  const copied = await page.waitForFunction(async () => (await navigator.clipboard.readText()) || false);
  const url = await copied.jsonValue();
  assert.ok(url.startsWith(`${origin}${SUB_PATH}#v2.`), url);
  await page.waitForURL(url);
  await expectNotice(page, `Link copied (${thousands(url.length)} characters)`);
  return url;
}

/** The trimmed text of every element a locator matches. */
export const texts = (locator) => locator.evaluateAll((els) => els.map((e) => e.textContent.trim()));

/** The bundled example project's folder. */
export const MESHER = join(here, '..', 'public', 'examples', 'mesher');

/** Every .mpl under `dir` (the example by default), as sorted paths relative to `dir`. */
export function meshFiles(dir = MESHER, root = dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...meshFiles(path, root));
    else if (name.endsWith('.mpl')) out.push(relative(root, path));
  }
  return out.sort();
}

/** The example's report summary: the rewrite has run on it. */
export const EXAMPLE_SUMMARY = '41 replacements in 8 files · helper inserted in api/helpers.mpl';

/** The example's report diagnostics, in the report's order. */
export const EXAMPLE_DIAGNOSTICS = [
  'api/helpers.mpl:14:6 error[E0001]: `local != 0` compares a Pid with an Int: Mesh rejects this (E0001), so this ' +
    'code does not compile. A Pid cannot be tested for "not found"; ship the node-local helper instead ' +
    '(--helper-form node-local), the form the verdict found safe',
  'api/team.mpl:54:3 warning[stale-comment]: this comment still describes the `Process.whereis("mesher_registry")` ' +
    'lookup, which this file now does through get_registry()',
  ...[60, 68, 85, 95].map(
    (line) =>
      `ingestion/ws_handler.mpl:${line}:16 info[stay-local]: \`Process.whereis("stream_manager")\` kept: \`stream_manager\` must stay node-local`,
  ),
];

/** Loads the bundled example; resolves once its report is there (attached: a narrow screen shows
 *  the Source tab). */
export async function loadExample(page) {
  await page.getByTestId('load-example').click();
  await page.getByTestId('report-summary').filter({ hasText: EXAMPLE_SUMMARY }).waitFor({ state: 'attached' });
}

/** A fresh page with the bundled example loaded and rewritten. */
export async function openExample(browser, url, contextOptions = {}) {
  const opened = await openPage(browser, url, contextOptions);
  await loadExample(opened.page);
  return opened;
}

/** Waits until the helper-form radio `form` is the checked one. */
export async function formChecked(page, form) {
  await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`)?.checked === true, `opt-form-${form}`);
}

/** The simulator's grid as `time node handler: text` lines, in row order. */
export function simGrid(page) {
  return page.getByTestId('sim-cell').evaluateAll((cells) =>
    cells.map((c) => `${c.dataset.time} ${c.dataset.node} ${c.dataset.handler}: ${c.innerText}`),
  );
}

/** Waits until the simulator's grid shows exactly `lines`; if it never does, fails with the difference. */
export async function expectSimGrid(page, lines) {
  await page
    .waitForFunction(
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll('[data-testid=sim-cell]')].map(
            (c) => `${c.dataset.time} ${c.dataset.node} ${c.dataset.handler}: ${c.innerText}`,
          ),
        ) === JSON.stringify(want),
      lines,
      { timeout: 10_000 },
    )
    .catch(() => {});
  assert.deepEqual(await simGrid(page), lines);
}

/** Clicks `testid` and saves the download it starts into `dir`; returns the file's path. */
export async function download(page, testid, dir) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

/** Clicks a file row and waits until it is the selected one. */
export async function selectFile(page, path) {
  await page.locator(`[data-testid="file-row"][data-path="${path}"]`).click();
  await page.locator(`[data-testid="file-row"][data-path="${path}"].selected`).waitFor();
}

/** A big handler file: `handlers` functions of 5 lines, each with a registry lookup. */
export function bigFile(handlers) {
  const out = [];
  for (let i = 0; i < handlers; i++) {
    out.push(
      `pub fn handler_${i}(request :: Request) -> Response do`,
      '  let reg_pid = Process.whereis("mesher_registry")',
      '  let pool = PipelineRegistry.get_pool(reg_pid)',
      `  HTTP.response(200, "ok ${i}")`,
      'end',
    );
  }
  return out.join('\n') + '\n';
}
