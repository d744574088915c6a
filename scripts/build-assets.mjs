/**
 * Builds the files the runtime loads at run time into public/_gen/ (git-ignored):
 *   sandbox/boot.js                      the page's script that starts the sandbox before React (runtime/boot/),
 *                                        with the sandbox frame's script inside it, and the workers' inside that
 *   vendor/tf.min.js                     TensorFlow.js, loaded by the sandbox workers (its ES2017 build)
 *   vendor/tf-backend-wasm.min.js, *.wasm  its WebAssembly backend (fast inference without a GPU; ES2017 too)
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
  // The ES2017 builds, not the ES5 ones (dist/tf.min.js): the same library in 1.1 MB instead of 1.47 MB,
  // without ES5's generator and class helpers, so a worker evaluates it in about 40% less time (measured
  // in headless Chromium on two cores: 276 ms against 455 ms, medians of 5 cold loads each). Every
  // browser the course supports runs ES2017.
  await copyFile(path.join(tfjsDist, 'dist/tf.es2017.min.js'), path.join(vendor, 'tf.min.js'));
  const wasmDist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  await copyFile(path.join(wasmDist, 'tf-backend-wasm.es2017.min.js'), path.join(vendor, 'tf-backend-wasm.min.js'));
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
    await copyFile(path.join(wasmDist, file), path.join(vendor, file));
  }
  await copyFile(require.resolve('esbuild-wasm/esbuild.wasm'), path.join(vendor, 'esbuild.wasm'));
}

const started = Date.now();
await Promise.all([bundleSandbox(), copyVendor()]);
console.log(`runtime assets built in ${Date.now() - started} ms`);
