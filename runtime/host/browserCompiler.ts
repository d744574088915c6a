import { compileCell, type CompileResult, type EsbuildApi } from '../compiler/compileCell';

let esbuild: Promise<EsbuildApi> | undefined;

/**
 * esbuild-wasm, initialized once per page in its own worker (esbuild's `worker: true`), so compiling
 * never blocks the page. The first call downloads and instantiates esbuild.wasm.
 */
export function loadCompiler(wasmUrl: string): Promise<EsbuildApi> {
  esbuild ??= import('esbuild-wasm').then(async (module) => {
    await module.initialize({ wasmURL: wasmUrl, worker: true });
    return module;
  });
  esbuild.catch(() => {
    esbuild = undefined; // let a later call try again (e.g. after a network hiccup)
  });
  return esbuild;
}

export async function compileInBrowser(wasmUrl: string, source: string, file?: string): Promise<CompileResult> {
  return compileCell(await loadCompiler(wasmUrl), source, file);
}
