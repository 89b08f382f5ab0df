// Readies the built static files for serving: each gets its content's hash in its name (so that
// it can be cached for good: a new build is a new name) and a brotli and a gzip copy made once
// here, so that the server never compresses them per request.
// Usage: node scripts/pack-site.mjs PKG_DIR MANIFEST
// Writes the hashes to MANIFEST as Leptos reads them (`js: <hash>`, `wasm: …`, `css: …`, and
// `reader: …` for the reader's script).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const [pkg, manifest] = process.argv.slice(2);
const files = [
  ['js', 'accord', 'js'],
  ['wasm', 'accord', 'wasm'],
  ['css', 'accord', 'css'],
  ['reader', 'reader', 'js'],
];
const lines = [];
for (const [kind, stem, ext] of files) {
  const plain = join(pkg, `${stem}.${ext}`);
  const bytes = readFileSync(plain);
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
  const named = join(pkg, `${stem}.${hash}.${ext}`);
  renameSync(plain, named);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${named}.br`, br);
  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(`${named}.gz`, gz);
  lines.push(`${kind}: ${hash}`);
  const kb = (n) => `${Math.round(n / 1024)} KB`;
  console.error(`  ${stem}.${hash}.${ext}: ${kb(bytes.length)}, brotli ${kb(br.length)}, gzip ${kb(gz.length)}`);
}
writeFileSync(manifest, `${lines.join('\n')}\n`);
