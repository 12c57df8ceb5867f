// `cargo xtask bench page`: the page's latencies in headless Chromium against a release build
// (DIST_DIR, default dist/): load to interactive, example → report, and keypress → diff painted in
// a 1,000+-line file of the example project (a 1,000-line handler file added to it: 200 handlers, each
// with a registry lookup), one key at a time (median, p90, max), long tasks while typing, and 24
// characters typed at full speed (time from the last one until the diff shows them all). Keys are
// real key presses (playwright's keyboard), so the browser edits the textarea as for a user.
// Not a test: it prints numbers. Usage: node tests/bench/page.mjs [--samples N]
import { bigFile, launchBrowser, startServer } from '../harness.mjs';

const samples = Number(process.argv[process.argv.indexOf('--samples') + 1]) || 30;
const SUMMARY = /^41 replacements in 8 files/;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n = ${s.length})`;
};

const server = await startServer();
const browser = await launchBrowser();
const bound = (ms) => ({ timeout: ms });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('load-example').waitFor(bound(60_000));
  const interactive = await page.evaluate(() => performance.now());
  const toReport = await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector('[data-testid="load-example"]').click();
    await new Promise((done, fail) => {
      const check = () => {
        const s = document.querySelector('[data-testid="report-summary"]')?.textContent ?? '';
        if (/^41 replacements/.test(s)) done();
        else if (performance.now() - t0 > 60_000) fail(new Error('no report in 60 s'));
        else setTimeout(check, 1);
      };
      check();
    });
    return performance.now() - t0;
  });
  console.log(`load to interactive: ${interactive.toFixed(0)} ms`);
  console.log(`example → report: ${toReport.toFixed(0)} ms`);

  // The big file joins the example (answering "Add to it" where the page asks).
  const text = bigFile(210); // 1,050 lines
  await page.getByTestId('upload-files').setInputFiles({ name: 'big.mpl', mimeType: 'text/plain', buffer: Buffer.from(text) });
  const add = page.getByTestId('bring-add');
  if (await add.waitFor(bound(3_000)).then(() => true, () => false)) await add.click();
  const row = page.locator('[data-testid="file-row"][data-path="big.mpl"]');
  await row.click(bound(30_000));
  await page.locator('[data-testid="file-row"][data-path="big.mpl"] [data-testid="badge-replacements"]').filter({ hasText: /^210$/ }).waitFor(bound(30_000));
  console.log(`typing in big.mpl: ${text.split('\n').length - 1} lines, in the example project (${await page.getByTestId('file-row').count()} files)`);

  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
  });
  // Real key presses into the textarea (the browser edits its text as a user's typing does); the time
  // runs from the last key's keydown until the diff shows every character typed, then a frame.
  await page.getByTestId('editor').evaluate((el) => {
    const at = el.value.indexOf('"ok 100') + 7;
    el.focus();
    el.setSelectionRange(at, at);
  });
  const type = async (burst, k) => {
    await page.evaluate(
      (key) => {
        const el = document.querySelector('[data-testid="editor"]');
        const diff = document.querySelector('[data-testid="diff"]');
        window.__done = new Promise((resolve, reject) => {
          let last = 0;
          const onKey = () => (last = performance.now());
          el.addEventListener('keydown', onKey);
          // Bounded from now too: if no key ever comes, this fails instead of polling forever.
          const start = performance.now();
          const check = () => {
            if (last && diff.textContent.includes(key)) {
              el.removeEventListener('keydown', onKey);
              // Painted: the next frame after the change (or a timer when frames do not run).
              Promise.race([
                new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))),
                new Promise((r) => setTimeout(r, 50)),
              ]).then(() => resolve(performance.now() - last));
            } else if (last && performance.now() - last > 10_000) reject(new Error('no diff in 10 s'));
            else if (!last && performance.now() - start > 30_000) reject(new Error('no key press in 30 s'));
            else setTimeout(check, 1);
          };
          check();
        });
      },
      `"ok 100${'x'.repeat(k + burst)}"`,
    );
    await page.keyboard.type('x'.repeat(burst));
    return page.evaluate(() => window.__done);
  };
  const single = [];
  let typed = 0;
  for (let k = 0; k < samples; k++) {
    single.push(await type(1, typed));
    typed += 1;
    await page.waitForTimeout(60);
  }
  const long = await page.evaluate(() => window.__long.splice(0));
  console.log(`keypress → diff painted (1,050 lines): ${stats(single)}`);
  console.log(`long tasks while typing one key at a time: ${long.length}${long.length ? `, longest ${Math.max(...long).toFixed(0)} ms` : ''}`);
  const bursts = [];
  for (let b = 0; b < 3; b++) {
    bursts.push(await type(24, typed));
    typed += 24;
    await page.waitForTimeout(200);
  }
  const longBurst = await page.evaluate(() => window.__long.splice(0));
  console.log(`24 fast characters, last one → diff painted: ${bursts.map((x) => x.toFixed(0) + ' ms').join(', ')}; long tasks ${longBurst.length}${longBurst.length ? `, longest ${Math.max(...longBurst).toFixed(0)} ms` : ''}`);
  console.log(`engine (last run): ${await page.getByTestId('timings').textContent()}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
