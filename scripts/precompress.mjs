import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|json|txt|svg|wasm|map|bin|ttf|d\.ts)$/;
const MIN_BYTES = 1024;

/** Writes .gz and .br beside every compressible file of the static export, as a CDN would serve them. */
async function precompress(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if ((await stat(file)).size < MIN_BYTES) continue;
    const data = await readFile(file);
    await writeFile(file + '.gz', gzipSync(data, { level: 9 }));
    await writeFile(file + '.br', brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
    count++;
  }
  return count;
}

const dir = process.argv[2] ?? 'out';
const count = await precompress(dir);
console.log(`precompressed ${count} files in ${dir}/`);
