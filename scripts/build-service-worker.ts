/**
 * After `next build`: writes out/sw.js, the service worker (runtime/offline/serviceWorker.ts) with the
 * list of every file of this build to precache, each with a revision (a hash of its contents) unless
 * its name already carries one. Two builds thus have two lists, and a reader's browser switches from
 * one to the other as a whole. Precompressed twins (.br, .gz) are left out: the browser caches what
 * it received, decompressed.
 *
 * `npx tsx scripts/build-service-worker.ts [dir]` (default out/); the base path comes from BASE_PATH.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getManifest } from '@serwist/build';
import * as esbuild from 'esbuild';
import { basePathFrom } from '../lib/basePath.mjs';

const dir = path.resolve(process.argv[2] ?? 'out');
const base = basePathFrom(process.env.BASE_PATH);
const swFile = path.join(dir, 'sw.js');
await rm(swFile, { force: true });

const { manifestEntries, count, size, warnings } = await getManifest({
  globDirectory: dir,
  globPatterns: ['**/*'],
  globIgnores: ['**/*.br', '**/*.gz', 'sw.js'],
  // esbuild.wasm (14 MB) is the largest file: editing offline needs it.
  maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
  // Content-hashed names need no revision: the name changes with the contents.
  dontCacheBustURLsMatching: /^(_next\/static\/|_gen\/lessons\/|_gen\/editor\/(?!manifest\.json))/,
  modifyURLPrefix: { '': `${base}/` },
});
for (const warning of warnings) console.warn(`service worker: ${warning}`);

const result = await esbuild.build({
  entryPoints: ['runtime/offline/serviceWorker.ts'],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  legalComments: 'none',
  define: { 'self.__SW_MANIFEST': JSON.stringify(manifestEntries) },
  logLevel: 'warning',
});
await writeFile(swFile, result.outputFiles[0]!.contents);
console.log(`service worker: ${path.relative(process.cwd(), swFile)} precaches ${count} files (${(size / 1e6).toFixed(1)} MB)`);
