/** Where the build puts the files the runtime loads, relative to the site root. */
export const RUNTIME_ASSETS = {
  frameScriptUrl: '/_gen/sandbox/frame.js',
  workerScriptUrl: '/_gen/sandbox/worker.js',
  tfjsScriptUrl: '/_gen/vendor/tf.min.js',
  tfjsWasmScriptUrl: '/_gen/vendor/tf-backend-wasm.min.js',
  esbuildWasmUrl: '/_gen/vendor/esbuild.wasm',
} as const;

/** The pretrained backbone (committed, made by scripts/pretrain) and the data sets lessons use. */
export const SANDBOX_DATA_URLS = {
  modelJsonUrl: '/models/fashion-cnn/model.json',
  datasets: {
    digits: '/_gen/data/digits.bin',
    fashion: '/data/fashion-sample.bin',
  },
  wasm: {
    'tfjs-backend-wasm.wasm': '/_gen/vendor/tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm': '/_gen/vendor/tfjs-backend-wasm-simd.wasm',
  },
} as const;
