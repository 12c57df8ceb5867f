// Ships dist/ for static hosts: a .gz (zopfli, gzip's format) and a .br (brotli 11) beside each asset,
// header files that apply the page's Content-Security-Policy as an HTTP header with the right cache
// and Content-Type rules, and a size table. Fails when the page's download (wasm + js + css, gzipped)
// passes the budget.
//
// node xtask/precompress.mjs DIST_DIR [--budget-gz BYTES]
import { brotliCompressSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const [dir, flag, budgetArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: precompress.mjs DIST_DIR [--budget-gz BYTES]');
const budget = flag === '--budget-gz' ? Number(budgetArg) : Infinity;
// Zopfli writes gzip streams 5.8% smaller than zlib's -9 (the wasm: 625,911 vs 664,345 bytes), once per
// build; every browser reads them. It lives in tests/node_modules with wasm-opt (xtask runs `npm ci`).
const { gzipAsync } = createRequire(new URL('../tests/package.json', import.meta.url))('@gfx/zopfli');
const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.svg', '.webmanifest', '.json']);

function files(d) {
  return readdirSync(d).flatMap((name) => {
    const path = join(d, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const rows = [];
for (const path of files(dir).sort()) {
  const ext = extname(path);
  if (!COMPRESSIBLE.has(ext)) continue;
  const raw = readFileSync(path);
  const gz = await gzipAsync(raw, { numiterations: 5 });
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      [constants.BROTLI_PARAM_MODE]: ext === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(`${path}.gz`, gz);
  writeFileSync(`${path}.br`, br);
  rows.push({ file: relative(dir, path), raw: raw.length, gzip: gz.length, brotli: br.length, ext });
}

// The CSP comes from index.html's meta tag, so the header and the page never disagree.
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const csp = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/i.exec(html)?.[1];
if (!csp) throw new Error('index.html has no Content-Security-Policy meta tag');
// Hashed names (name-<16 hex>.ext) never change content: cache them for a year; the rest revalidate.
const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';
writeFileSync(
  join(dir, '_headers'),
  `# Netlify and Cloudflare Pages read this file (GitHub Pages cannot set headers: the meta CSP applies there).
/*
  Content-Security-Policy: ${csp}
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  Cache-Control: ${revalidate}
/*.wasm
  Content-Type: application/wasm
  Cache-Control: ${immutable}
/*.js
  Cache-Control: ${immutable}
/*.css
  Cache-Control: ${immutable}
/sw.js
  Cache-Control: ${revalidate}
/sw-register*.js
  Cache-Control: ${revalidate}
`,
);
writeFileSync(
  join(dir, '.htaccess'),
  `# Apache (mod_headers, mod_mime, mod_rewrite): the same rules as _headers, and the .br/.gz files.
AddType application/wasm .wasm
AddType application/manifest+json .webmanifest
Header always set Content-Security-Policy "${csp}"
Header always set X-Content-Type-Options nosniff
Header always set Referrer-Policy no-referrer
<FilesMatch "-[0-9a-f]{16}(_bg)?\\.(wasm|js|css)$">
  Header set Cache-Control "${immutable}"
</FilesMatch>
<FilesMatch "^(index\\.html|sw\\.js)$">
  Header set Cache-Control "${revalidate}"
</FilesMatch>
RewriteEngine On
RewriteCond %{HTTP:Accept-Encoding} br
RewriteCond %{REQUEST_FILENAME}.br -f
RewriteRule ^(.*)$ $1.br [L]
RewriteCond %{HTTP:Accept-Encoding} gzip
RewriteCond %{REQUEST_FILENAME}.gz -f
RewriteRule ^(.*)$ $1.gz [L]
<FilesMatch "\\.br$">
  Header set Content-Encoding br
  Header append Vary Accept-Encoding
</FilesMatch>
<FilesMatch "\\.gz$">
  Header set Content-Encoding gzip
  Header append Vary Accept-Encoding
</FilesMatch>
<FilesMatch "\\.wasm\\.(br|gz)$">
  ForceType application/wasm
</FilesMatch>
<FilesMatch "\\.js\\.(br|gz)$">
  ForceType text/javascript
</FilesMatch>
<FilesMatch "\\.css\\.(br|gz)$">
  ForceType text/css
</FilesMatch>
`,
);

const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(44)} ${pad('raw', 10)} ${pad('gzip', 10)} ${pad('brotli 11', 10)}`);
for (const r of rows) console.log(`${r.file.padEnd(44)} ${pad(r.raw, 10)} ${pad(r.gzip, 10)} ${pad(r.brotli, 10)}`);
const page = rows.filter((r) => ['.wasm', '.js', '.css'].includes(r.ext));
const sum = (k) => page.reduce((a, r) => a + r[k], 0);
console.log(`${'wasm + js + css'.padEnd(44)} ${pad(sum('raw'), 10)} ${pad(sum('gzip'), 10)} ${pad(sum('brotli'), 10)}`);
if (sum('gzip') > budget) {
  console.error(`the page's download is ${sum('gzip')} bytes gzipped, over its budget of ${budget} (xtask/src/test.rs PAGE_BUDGET_GZ)`);
  process.exit(1);
}
if (budget !== Infinity) console.log(`within the budget: ${sum('gzip')} ≤ ${budget} bytes gzipped`);
