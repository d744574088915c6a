/** Where the build (scripts/build-assets.mjs) puts the files the runtime loads, relative to the site root. */
export const RUNTIME_ASSETS = {
  frameScriptUrl: '/_gen/sandbox/frame.js',
  workerScriptUrl: '/_gen/sandbox/worker.js',
  tfjsScriptUrl: '/_gen/vendor/tf.min.js',
  esbuildWasmUrl: '/_gen/vendor/esbuild.wasm',
} as const;
