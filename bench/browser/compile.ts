/**
 * The compile page: esbuild-wasm in this browser, initialised exactly as the lesson page does it
 * (runtime/host/browserCompiler: `worker: true`, the site's esbuild.wasm), timing the runtime's own
 * compileCell on each lesson cell.
 */
import * as esbuild from 'esbuild-wasm';
import { compileCell } from '../../runtime/compiler/compileCell';

(globalThis as { __compile?: unknown }).__compile = {
  async init(wasmURL: string) {
    const started = performance.now();
    await esbuild.initialize({ wasmURL, worker: true });
    const initialized = performance.now();
    const first = await compileCell(esbuild, 'export {};');
    return { initMs: initialized - started, firstCompileMs: performance.now() - initialized, ok: first.ok };
  },

  /** `reps` timed compiles, after one untimed one when `warmUp`. */
  async time(source: string, reps: number, warmUp: boolean) {
    const ms: number[] = [];
    let codeChars = 0;
    for (let i = warmUp ? 0 : 1; i <= reps; i++) {
      const started = performance.now();
      const result = await compileCell(esbuild, source);
      const elapsed = performance.now() - started;
      if (!result.ok) return { error: result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ') };
      codeChars = result.code.length;
      if (i > 0) ms.push(elapsed);
    }
    return { ms, codeChars };
  },
};
