/**
 * The bare reference page: tf.min.js, the WebAssembly backend's script, the model and the data, and
 * nothing of the course runtime's plumbing (no iframe, no worker, no protocol, no console channel, no
 * training instrumentation, no React). A compiled cell runs here on the page's main thread against
 * the same lesson helpers (runtime/sandbox/lesson) with the same backend choice as the sandbox, so
 * the ratio sandbox/bare is the cost of the runtime itself.
 */
import type * as TF from '@tensorflow/tfjs';
import { CELL_GLOBAL } from '../../runtime/protocol';
import { loadLessonData } from '../../runtime/host/sandboxData';
import type { LessonAssets } from '../../runtime/lessonAssets';
import { createLessonModule, warmModels } from '../../runtime/sandbox/lesson/lessonModule';
import type { LessonData } from '../../runtime/protocol';

type Scope = typeof globalThis & {
  tf: typeof TF & { wasm?: { setWasmPaths(prefix: string): void } };
  __courseModules__?: Record<string, unknown>;
  [CELL_GLOBAL]?: (exportResults: (namespace: object) => void) => Promise<void>;
  __bare?: unknown;
};
const scope = globalThis as Scope;
const tf = scope.tf;
let data: LessonData | undefined;
let trainingBackend = 'cpu';
let inferenceBackend: string | undefined;

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.append(script);
  });
}

scope.__bare = {
  /** Downloads the lesson's models and data, and sets the backends up the way the sandbox does on this machine. */
  async init(options: { backend: string; inferenceBackend?: string; lesson: LessonAssets }) {
    const started = performance.now();
    data = await loadLessonData(options.lesson, () => {});
    tf.wasm?.setWasmPaths('/_gen/vendor/');
    const wasmOk = await tf.setBackend('wasm').catch(() => false);
    trainingBackend = options.backend;
    inferenceBackend = wasmOk ? options.inferenceBackend : undefined;
    await tf.setBackend(trainingBackend);
    await tf.ready();
    return { ms: performance.now() - started, backend: tf.getBackend(), wasm: wasmOk };
  },

  /**
   * Runs compiled cell code once: warm models are prepared first (as the sandbox's spare does before
   * a run), then the timer covers loading the compiled script and running the cell to its end.
   */
  async run(code: string) {
    if (!data) throw new Error('init first');
    await tf.setBackend(trainingBackend);
    const warm = await warmModels(tf, data.models);
    const bench: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('BENCH ')) bench.push(args[0].slice(6));
    };
    const lesson = createLessonModule({ tf, data, warmModels: warm, inferenceBackend, show: () => {}, own: () => {} });
    scope.__courseModules__ = { '@tensorflow/tfjs': tf, lesson };
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const started = performance.now();
    let error: string | undefined;
    try {
      await loadScript(url);
      const cell = scope[CELL_GLOBAL];
      delete scope[CELL_GLOBAL];
      if (typeof cell !== 'function') throw new Error('the compiled cell did not load');
      await cell(() => {});
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    } finally {
      URL.revokeObjectURL(url);
      console.log = log;
    }
    const ms = performance.now() - started;
    return { ms, error, bench, memory: tf.memory() };
  },
};
