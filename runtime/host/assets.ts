/** Where the build puts the files the runtime itself loads, relative to the site root. */
export const RUNTIME_ASSETS = {
  frameScriptUrl: '/_gen/sandbox/frame.js',
  workerScriptUrl: '/_gen/sandbox/worker.js',
  tfjsScriptUrl: '/_gen/vendor/tf.min.js',
  tfjsWasmScriptUrl: '/_gen/vendor/tf-backend-wasm.min.js',
  esbuildWasmUrl: '/_gen/vendor/esbuild.wasm',
} as const;

/** The TensorFlow.js WebAssembly backend's binaries, by the file name it asks for. */
export const WASM_BINARY_URLS = {
  'tfjs-backend-wasm.wasm': '/_gen/vendor/tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm': '/_gen/vendor/tfjs-backend-wasm-simd.wasm',
} as const;
