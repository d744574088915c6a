import type { SandboxSources } from './sandboxData';

/** Where the build puts the files the runtime itself loads, relative to the site root. */
export const RUNTIME_ASSETS = {
  esbuildWasmUrl: '/_gen/vendor/esbuild.wasm',
} as const;

/** The sandbox's scripts and the WebAssembly backend's binaries (scripts/build-assets.mjs puts them there). */
export const SANDBOX_FILES: Omit<SandboxSources, 'lesson'> = {
  scripts: {
    frame: '/_gen/sandbox/frame.js',
    worker: '/_gen/sandbox/worker.js',
    tfjs: '/_gen/vendor/tf.min.js',
    tfjsWasm: '/_gen/vendor/tf-backend-wasm.min.js',
  },
  wasm: {
    simd: { name: 'tfjs-backend-wasm-simd.wasm', url: '/_gen/vendor/tfjs-backend-wasm-simd.wasm' },
    plain: { name: 'tfjs-backend-wasm.wasm', url: '/_gen/vendor/tfjs-backend-wasm.wasm' },
  },
};
