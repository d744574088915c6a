import type * as TF from '@tensorflow/tfjs';
import { BlobCtor, URLCreateObjectURL } from './intrinsics';

type WasmNamespace = { setWasmPaths(paths: Record<string, string>): void };

/**
 * Loads TensorFlow.js's WebAssembly backend and points it at blob URLs of the binaries the page
 * handed over (the sandbox cannot fetch them), then initialises it. It is the fastest way to run a
 * model on a CPU, but it cannot train convolutions, so it is used for inference only.
 * Returns whether it is ready.
 */
export async function prepareWasmBackend(tf: typeof TF, loadScript: () => void, binaries: Record<string, ArrayBuffer>): Promise<{ ok: boolean; why: string }> {
  if (Object.keys(binaries).length === 0) return { ok: false, why: 'its binaries were not downloaded' };
  try {
    loadScript();
    const wasm = (tf as unknown as { wasm?: WasmNamespace }).wasm;
    if (!wasm) return { ok: false, why: 'its script did not load' };
    const paths: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(binaries)) paths[name] = URLCreateObjectURL(new BlobCtor([bytes], { type: 'application/wasm' }));
    // tfjs wants a path for the multi-threaded build too, but threads need a cross-origin-isolated
    // page, which the sandbox is not, so that binary is never loaded: point it at the SIMD one.
    paths['tfjs-backend-wasm-threaded-simd.wasm'] ??= paths['tfjs-backend-wasm-simd.wasm']!;
    wasm.setWasmPaths(paths);
    return (await tf.setBackend('wasm')) ? { ok: true, why: 'ready' } : { ok: false, why: 'it failed to initialise' };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** What the GPU behind WebGL calls itself, or null without WebGL. */
function webglRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

/**
 * WebGL on a real GPU is by far the fastest backend. WebGL emulated in software (SwiftShader,
 * llvmpipe: browsers without a usable GPU, headless test machines) compiles every shader slowly and
 * loses to the plain CPU backend, so the sandbox uses the CPU there and says why.
 */
export async function chooseBackend(tf: typeof TF): Promise<{ backend: string; reason: string }> {
  const renderer = webglRenderer();
  const software = renderer !== null && /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  if (renderer !== null && !software) {
    try {
      if (await tf.setBackend('webgl')) return { backend: 'webgl', reason: `WebGL on ${renderer}` };
    } catch {
      // fall through to the CPU
    }
  }
  await tf.setBackend('cpu');
  const reason = renderer === null ? 'no WebGL in this browser' : `WebGL is emulated in software here (${renderer}), which is slower than the CPU backend`;
  return { backend: 'cpu', reason };
}
