import type { SandboxSources } from './sandboxData';

/** The in-browser compiler's WebAssembly (scripts/build-assets.mjs puts it there), under the site's base path. */
export function compilerWasmUrl(base: string): string {
  return `${base}/_gen/vendor/esbuild.wasm`;
}

/** The sandbox's scripts and the WebAssembly backend's binaries, under the site's base path ('' at the root). */
export function sandboxFiles(base: string): Pick<SandboxSources, 'scripts' | 'wasm'> {
  return {
    scripts: {
      tfjs: `${base}/_gen/vendor/tf.min.js`,
      tfjsWasm: `${base}/_gen/vendor/tf-backend-wasm.min.js`,
    },
    wasm: {
      simd: { name: 'tfjs-backend-wasm-simd.wasm', url: `${base}/_gen/vendor/tfjs-backend-wasm-simd.wasm` },
      plain: { name: 'tfjs-backend-wasm.wasm', url: `${base}/_gen/vendor/tfjs-backend-wasm.wasm` },
    },
  };
}
