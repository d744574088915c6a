/**
 * Builds the files the runtime loads at run time into public/_gen/ (git-ignored):
 *   sandbox/frame.js, sandbox/worker.js  the sandbox side of the runtime, bundled from runtime/sandbox/
 *   vendor/tf.min.js                     TensorFlow.js, loaded by the sandbox workers
 *   vendor/tf-backend-wasm.min.js, *.wasm  its WebAssembly backend (fast inference without a GPU)
 *   vendor/esbuild.wasm                  the in-browser compiler
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const out = path.resolve('public/_gen');

async function bundleSandbox() {
  await esbuild.build({
    entryPoints: { frame: 'runtime/sandbox/frame.ts', worker: 'runtime/sandbox/worker.ts' },
    outdir: path.join(out, 'sandbox'),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

async function copyVendor() {
  const vendor = path.join(out, 'vendor');
  await mkdir(vendor, { recursive: true });
  const tfjsDist = path.dirname(require.resolve('@tensorflow/tfjs/package.json'));
  await copyFile(path.join(tfjsDist, 'dist/tf.min.js'), path.join(vendor, 'tf.min.js'));
  const wasmDist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const file of ['tf-backend-wasm.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
    await copyFile(path.join(wasmDist, file), path.join(vendor, file));
  }
  await copyFile(require.resolve('esbuild-wasm/esbuild.wasm'), path.join(vendor, 'esbuild.wasm'));
}

const started = Date.now();
await Promise.all([bundleSandbox(), copyVendor()]);
console.log(`runtime assets built in ${Date.now() - started} ms`);
