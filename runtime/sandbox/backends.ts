import type * as TF from '@tensorflow/tfjs';
import type { SandboxBackend } from '../protocol';
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

/** The context attributes TensorFlow.js asks for when it creates its own (canvas_util.ts). */
const WEBGL_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  premultipliedAlpha: false,
  preserveDrawingBuffer: false,
  depth: false,
  stencil: false,
  failIfMajorPerformanceCaveat: false,
};

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
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return { canvas, gl, renderer };
  } catch {
    return null;
  }
}

const isSoftware = (renderer: string) => /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);

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
  /** The WebGL context TensorFlow.js uses whenever a run is on webgl (runs watch it for context loss). */
  webgl?: WebglContext;
}

/**
 * Picks the backend cells run on. WebGL on a real GPU is by far the fastest. Without one (no WebGL,
 * or WebGL emulated in software: SwiftShader, llvmpipe, as on headless test machines, which compiles
 * every shader slowly and loses to the CPU), WebAssembly: with the gradient kernels it lacked it
 * trains this project's convolutions 3 to 5 times faster than the `cpu` backend (README,
 * Performance), so `cpu` is only the fallback when WebAssembly did not start. `requested` (the
 * page's `?backend=`) is used whenever it starts, software WebGL included.
 */
export async function chooseBackend(tf: typeof TF, options: { requested?: SandboxBackend; wasm: { ok: boolean; why: string } }): Promise<BackendChoice> {
  const { requested, wasm } = options;
  const context = createWebglContext();
  if (context) adoptWebglContext(tf, context);
  const webgl = context ?? undefined;
  const notes: string[] = [];
  if (context && (requested === 'webgl' || (requested === undefined && !isSoftware(context.renderer)))) {
    if (await startWebgl(tf)) {
      return { backend: 'webgl', reason: requested ? `WebGL on ${context.renderer}, as the page asked (?backend=webgl)` : `WebGL on ${context.renderer}`, webgl };
    }
    notes.push(`WebGL on ${context.renderer} failed to start`);
  }
  if (requested === 'webgl' && !context) notes.push('the page asked for WebGL (?backend=webgl), which this browser does not offer in a worker');
  const gpu = context === null ? 'no WebGL 2 in this browser' : isSoftware(context.renderer) ? `WebGL is emulated in software here (${context.renderer})` : '';
  if (requested === 'cpu') {
    await tf.setBackend('cpu');
    return { backend: 'cpu', reason: `the page asked for the cpu backend (?backend=cpu); inference ${wasm.ok ? 'uses WebAssembly' : `cannot use WebAssembly (${wasm.why})`}`, webgl };
  }
  if (wasm.ok && (await tf.setBackend('wasm'))) {
    const why = requested === 'wasm' ? 'the page asked for WebAssembly (?backend=wasm)' : `${[gpu, ...notes].filter(Boolean).join('; ')}, so WebAssembly, the fastest CPU backend, trains and predicts`;
    return { backend: 'wasm', reason: why, webgl };
  }
  const noWasm = requested === 'wasm' ? `the page asked for WebAssembly (?backend=wasm), which could not start (${wasm.why})` : `WebAssembly could not start (${wasm.why})`;
  await tf.setBackend('cpu');
  return { backend: 'cpu', reason: [gpu, ...notes, noWasm].filter(Boolean).join('; '), webgl };
}
