/**
 * Builds the files the runtime loads at run time into public/_gen/ (git-ignored):
 *   sandbox/boot.js                      the page's script that starts the sandbox before React (runtime/boot/),
 *                                        with the sandbox frame's script inside it, and the workers' inside that
 *   vendor/tf.min.js                     TensorFlow.js, loaded by the sandbox workers
 *   vendor/tf-backend-wasm.min.js, *.wasm  its WebAssembly backend (fast inference without a GPU)
 *   vendor/esbuild.wasm                  the in-browser compiler
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const out = path.resolve('public/_gen');

const bundleOptions = {
  bundle: true,
  format: 'iife',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * A bundle's code as a JavaScript string literal that is safe inside an inline <script> too (the frame's
 * script is inlined into its document): no `<` at all, so no `</script` or `<!--` for the HTML parser.
 */
const inlineable = (code) => JSON.stringify(code).replace(/</g, '\\u003c');

/**
 * The sandbox's code, nested: the workers' scripts (the cell worker's, the GPU probe's) go into the
 * frame's, the frame's into the boot script, which is the only file (the frame and its first worker
 * start from it without another download).
 */
async function bundleSandbox() {
  const sandbox = path.join(out, 'sandbox');
  const bundle = async (entry, define = {}) => (await esbuild.build({ ...bundleOptions, entryPoints: [entry], define, write: false })).outputFiles[0].text;
  const [worker, gpuProbe] = await Promise.all([bundle('runtime/sandbox/worker.ts'), bundle('runtime/sandbox/gpuProbe.ts')]);
  const frame = await bundle('runtime/sandbox/frame.ts', { SANDBOX_WORKER_SCRIPT: inlineable(worker), SANDBOX_GPU_PROBE_SCRIPT: inlineable(gpuProbe) });
  // Files of older builds would be precached and served for nothing.
  await rm(sandbox, { recursive: true, force: true });
  await esbuild.build({ ...bundleOptions, entryPoints: { boot: 'runtime/boot/bootSandbox.ts' }, outdir: sandbox, define: { SANDBOX_FRAME_SCRIPT: inlineable(frame) } });
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
