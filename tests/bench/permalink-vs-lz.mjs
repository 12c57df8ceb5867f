// Link lengths for every case the permalink goals name: our `v2.` fragment (edits against the bundled
// example, DEFLATE with a Mesh dictionary), our old `v1.`, lz-string's compressToEncodedURIComponent
// (TypeScript Playground's method) and brotli-11 + base64url of the same state as JSON.
// Run from the repository root: node tests/bench/permalink-vs-lz.mjs
import { execFileSync } from 'node:child_process';
import { brotliCompressSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import LZString from 'lz-string';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = execFileSync(
  'cargo',
  ['run', '-q', '-p', 'mesh-rewrite', '--example', 'permalink', '--',
    'public/examples/mesher', 'core/tests/fixtures/permalink/inventory'],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 },
);
const rows = JSON.parse(out).map((c) => {
  const json = JSON.stringify(JSON.parse(c.bundle));
  const lz = LZString.compressToEncodedURIComponent(json).length;
  const brotli = brotliCompressSync(Buffer.from(json), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  }).toString('base64url').length;
  const verdict = c.goal === 0 ? '' : c.v2 <= c.goal ? `goal ≤ ${c.goal}: met` : `goal ≤ ${c.goal}: MISSED`;
  return { case: c.name, v2: c.v2, v1: c.v1, 'lz-string': lz, 'brotli-11': brotli, 'v2 vs lz': `${((1 - c.v2 / lz) * 100).toFixed(1)}% shorter`, verdict };
});
console.table(rows);
