// Permalink length for the example's handler files (the 8 handler files + helpers.mpl, default options):
// our `v1.` codec vs lz-string's compressToEncodedURIComponent over the same state as JSON (the bundle).
// Run from the repository root: node tests/bench/permalink-vs-lz.mjs
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import LZString from 'lz-string';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HANDLER_FILES = [
  'ingestion/routes.mpl',
  'ingestion/ws_handler.mpl',
  'api/search.mpl',
  'api/dashboard.mpl',
  'api/detail.mpl',
  'api/team.mpl',
  'api/alerts.mpl',
  'api/settings.mpl',
  'api/helpers.mpl',
];

const out = execFileSync(
  'cargo',
  ['run', '-q', '-p', 'mesh-rewrite', '--example', 'permalink', '--', 'public/examples/mesher', ...HANDLER_FILES],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 },
);
const { fragment, bundle } = JSON.parse(out);
const compact = JSON.stringify(JSON.parse(bundle));
const lz = LZString.compressToEncodedURIComponent(compact);
const source = HANDLER_FILES.length;
const ours = fragment.length;
const saving = (1 - ours / lz.length) * 100;
console.log(`state: ${source} files, ${compact.length} characters of JSON`);
console.log(`ours (v1. fragment):                    ${ours} characters`);
console.log(`lz-string compressToEncodedURIComponent: ${lz.length} characters`);
console.log(`ours is ${saving.toFixed(1)}% shorter (goal: at least 25%)`);
