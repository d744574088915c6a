import type * as TF from '@tensorflow/tfjs';
import type { SandboxBackend } from '../protocol';
import { isSoftwareRenderer, rendererOf, WEBGL_ATTRIBUTES } from './gpu';
import { BlobCtor, URLCreateObjectURL } from './intrinsics';
import { registerWasmTrainingKernels } from './wasmKernels';

type WasmNamespace = { setWasmPaths(paths: Record<string, string>): void };

/** The file names of tfjs-backend-wasm's builds, as it asks for them. */
const WASM_BINARY_NAMES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/**
 * Loads TensorFlow.js's WebAssembly backend and points it at blob URLs of the binaries the page
 * handed over (the sandbox cannot fetch them), registers the gradient kernels it lacks for training
 * convolutions (wasmKernels.ts), then initialises it. Returns whether it is ready.
 */
export async function prepareWasmBackend(tf: typeof TF, loadScript: () => void, binaries: Record<string, ArrayBuffer>): Promise<{ ok: boolean; why: string }> {
  if (Object.keys(binaries).length === 0) return { ok: false, why: 'its binaries were not downloaded' };
  try {
    loadScript();
    const wasm = (tf as unknown as { wasm?: WasmNamespace }).wasm;
    if (!wasm) return { ok: false, why: 'its script did not load' };
    if (!registerWasmTrainingKernels(tf)) return { ok: false, why: 'its training kernels could not be registered' };
    const paths: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(binaries)) paths[name] = URLCreateObjectURL(new BlobCtor([bytes], { type: 'application/wasm' }));
    // tfjs wants a path for every build it has, or it refuses to start. The page sends the one this
    // browser runs (SIMD or not, detected as tfjs detects it); threads need a cross-origin-isolated
    // page, which the sandbox is not, so the multi-threaded build is never loaded. The others point
    // at the binary that came.
    const fallback = paths['tfjs-backend-wasm-simd.wasm'] ?? Object.values(paths)[0]!;
    for (const name of WASM_BINARY_NAMES) paths[name] ??= fallback;
    wasm.setWasmPaths(paths);
    return (await tf.setBackend('wasm')) ? { ok: true, why: 'ready' } : { ok: false, why: 'it failed to initialise' };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

export interface WebglContext {
  canvas: OffscreenCanvas;
  gl: WebGL2RenderingContext;
  /** What the GPU behind it calls itself. */
  renderer: string;
}

/**
 * A WebGL 2 context on an OffscreenCanvas the sandbox makes itself, or null without WebGL 2 in this
 * worker. TensorFlow.js would make its own, except on Safari: there it wants a `<canvas>` element
 * (Safari's OffscreenCanvas never signals its fences), which a worker does not have, so it would
 * fail to start and the sandbox would fall back to the CPU without saying why.
 */
function createWebglContext(): WebglContext | null {
  try {
    const canvas = new OffscreenCanvas(300, 150);
    const gl = canvas.getContext('webgl2', WEBGL_ATTRIBUTES);
    if (!gl) return null;
    return { canvas, gl, renderer: rendererOf(gl) };
  } catch {
    return null;
  }
}

/**
 * Hands TensorFlow.js's WebGL backend the sandbox's own context, for when it starts (now, or when a
 * cell calls tf.setBackend('webgl')). On Safari, reads then wait for the GPU synchronously instead of
 * polling a fence (or a timer query) that never signals there; in a worker that blocks only the worker.
 */
function adoptWebglContext(tf: typeof TF, context: WebglContext): void {
  tf.setWebGLContext(2, context.gl);
  if (tf.env().getBool('IS_SAFARI')) {
    tf.env().set('WEBGL_FENCE_API_ENABLED', false);
    tf.env().set('WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_VERSION', 0);
  }
}

/**
 * The sandbox's one WebGL context, made when first needed and handed to TensorFlow.js then: at
 * start-up only where WebGL will be used (making one costs a round trip to the GPU process, hundreds
 * of milliseconds on a software renderer), otherwise when a cell switches to WebGL itself.
 */
export interface SandboxWebgl {
  /** The context (made now if it was not yet), or null without WebGL 2 in this worker. */
  get(): WebglContext | null;
  /** The context if it has been made. */
  current(): WebglContext | undefined;
}

export function sandboxWebgl(tf: typeof TF): SandboxWebgl {
  let context: WebglContext | null | undefined;
  return {
    get() {
      if (context === undefined) {
        context = createWebglContext();
        if (context) adoptWebglContext(tf, context);
      }
      return context;
    },
    current: () => context ?? undefined,
  };
}

/** Makes the sandbox's context before TensorFlow.js starts WebGL for a cell (`tf.setBackend('webgl')`). */
export function makeWebglContextOnDemand(tf: typeof TF, webgl: SandboxWebgl): void {
  const engine = tf.engine();
  const setBackend = engine.setBackend.bind(engine);
  engine.setBackend = (name: string) => {
    if (name === 'webgl') webgl.get();
    return setBackend(name);
  };
}

async function startWebgl(tf: typeof TF): Promise<boolean> {
  try {
    return await tf.setBackend('webgl');
  } catch {
    return false;
  }
}

export interface BackendChoice {
  backend: SandboxBackend;
  /** Why, in words for the backend status tooltip. */
  reason: string;
  /**
   * Chosen before the frame's probe said which GPU WebGL runs on: the fastest CPU backend for now,
   * to be chosen again (chooseBackend with `gpu`) when the answer comes, unless a run has started.
   */
  provisional?: boolean;
}

/**
 * Picks the backend cells run on. WebGL on a real GPU is by far the fastest. Without one (no WebGL,
 * or WebGL emulated in software: SwiftShader, llvmpipe, as on headless test machines, which compiles
 * every shader slowly and loses to the CPU), WebAssembly: with the gradient kernels it lacked it
 * trains this project's convolutions 3 to 5 times faster than the `cpu` backend (README,
 * Performance), so `cpu` is only the fallback when WebAssembly did not start. `requested` (the
 * page's `?backend=`) is used whenever it starts, software WebGL included.
 *
 * `gpu`: the name of the GPU behind WebGL 2 in a worker (null: none), as the frame's probe found it,
 * or undefined while the probe has not answered (on a software renderer it takes about a second on a
 * busy machine): then the choice is provisional. This worker makes its own WebGL context only when it
 * is going to use WebGL.
 */
export async function chooseBackend(
  tf: typeof TF,
  options: { requested?: SandboxBackend; wasm: { ok: boolean; why: string }; gpu: string | null | undefined; webgl: SandboxWebgl },
): Promise<BackendChoice> {
  const { requested, wasm, gpu: renderer, webgl } = options;
  if (requested === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', reason: `the page asked for the cpu backend (?backend=cpu); inference ${wasm.ok ? 'uses WebAssembly' : `cannot use WebAssembly (${wasm.why})`}` };
  }
  if (requested === 'wasm' && wasm.ok && (await tf.setBackend('wasm'))) return { backend: 'wasm', reason: 'the page asked for WebAssembly (?backend=wasm)' };
  const notes: string[] = [];
  if (requested === 'webgl' || (requested === undefined && typeof renderer === 'string' && !isSoftwareRenderer(renderer))) {
    const context = webgl.get();
    if (context && (await startWebgl(tf))) {
      return { backend: 'webgl', reason: requested ? `WebGL on ${context.renderer}, as the page asked (?backend=webgl)` : `WebGL on ${context.renderer}` };
    }
    notes.push(context ? `WebGL on ${context.renderer} failed to start` : requested === 'webgl' ? 'the page asked for WebGL (?backend=webgl), which this browser does not offer in a worker' : `WebGL on ${renderer} failed to start`);
  }
  const provisional = requested === undefined && renderer === undefined;
  const gpu = provisional ? 'the sandbox is still finding out whether WebGL runs on a real GPU here' : renderer === null || renderer === undefined ? 'no WebGL 2 in this browser' : isSoftwareRenderer(renderer) ? `WebGL is emulated in software here (${renderer})` : '';
  if (requested !== 'wasm' && wasm.ok && (await tf.setBackend('wasm'))) {
    return { backend: 'wasm', reason: `${[gpu, ...notes].filter(Boolean).join('; ')}, so WebAssembly, the fastest CPU backend, trains and predicts`, ...(provisional ? { provisional } : {}) };
  }
  const noWasm = requested === 'wasm' ? `the page asked for WebAssembly (?backend=wasm), which could not start (${wasm.why})` : `WebAssembly could not start (${wasm.why})`;
  await tf.setBackend('cpu');
  return { backend: 'cpu', reason: [gpu, ...notes, noWasm].filter(Boolean).join('; '), ...(provisional ? { provisional } : {}) };
}
