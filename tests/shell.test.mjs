// The playground shell against the release build: typing parses in wasm, the tree and
// the diagnostics follow, the CSP holds, and nothing is fetched from another origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, TEST, assertOwnOrigin, openPage, screenshot, texts, useBrowser } from './harness.mjs';

const env = useBrowser();

test('index.html has no inline script, so the CSP needs no unsafe-inline', TEST, () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1, 'the wasm loader script is there');
  for (const [tag, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc=/, `inline script: ${tag.slice(0, 80)}`);
    assert.equal(body.trim(), '');
  }
  assert.match(html, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'/);
});

test('typing Mesh shows its syntax tree, then a syntax error with its position', TEST, async () => {
  const { page, context, requests, errors } = await openPage(env.browser, env.server.url);
  const editor = page.getByTestId('editor');
  const tree = page.getByTestId('tree-view');
  const diagnostics = page.getByTestId('diagnostics');
  await screenshot(page, 'shell-1-empty');
  assert.deepEqual(await texts(diagnostics.locator('li')), ['No syntax errors']);

  // Typed key by key: the page re-parses on every input event.
  await editor.pressSequentially('fn main() do\n  println("hello")\nend\n');
  const fnKind = tree.locator('.kind', { hasText: /^function_definition$/ });
  await fnKind.first().waitFor();
  assert.equal(await page.getByTestId('diagnostic').count(), 0);
  assert.deepEqual(await texts(diagnostics.locator('li')), ['No syntax errors']);
  assert.equal(await tree.locator('.error, .missing').count(), 0);

  // Open the function: its fields are labelled, ranges are LINE:COL.
  await tree.locator('[aria-expanded]', { has: page.locator('.kind', { hasText: /^function_definition$/ }) }).click();
  const labels = await texts(tree.locator('[role="treeitem"]:not([aria-level="1"]):not([aria-level="2"]) .label'));
  assert.ok(labels.some((l) => l.startsWith('name: identifier 1:4–1:8')), labels.join('\n'));
  await screenshot(page, 'shell-2-tree');

  // A broken program: the error is reported where it is, in words.
  await editor.fill('fn main() do\n  foo(\n');
  await page.getByTestId('diagnostic').first().waitFor();
  assert.deepEqual(await texts(page.getByTestId('diagnostic')), EXPECTED_BROKEN);
  // The tree follows once typing pauses (250 ms): ERROR/MISSING nodes are marked.
  await tree.locator('.error, .missing').first().waitFor();
  assert.ok((await tree.locator('.error, .missing').count()) >= 1, 'ERROR/MISSING nodes are marked');
  await screenshot(page, 'shell-3-error');

  await editor.fill('fn main() do\n  println("hi"))\nend\n');
  await page.getByTestId('diagnostic').filter({ hasText: 'unexpected' }).waitFor();
  assert.deepEqual(await texts(page.getByTestId('diagnostic')), ['2:16 unexpected `)`']);

  // Fixing it clears the list again.
  await editor.fill('fn main() do\n  foo()\nend\n');
  await diagnostics.locator('li.none').waitFor();
  assert.equal(await page.getByTestId('diagnostic').count(), 0);

  assertOwnOrigin(requests, errors, env.server.origin);
  assert.ok(requests.some((u) => u.endsWith('.wasm')), 'the wasm came from the sub-path');
  await context.close();
});

/** What the diagnostics list shows for `fn main() do\n  foo(\n`. */
const EXPECTED_BROKEN = ['2:6 missing `)` to close this `(`'];
