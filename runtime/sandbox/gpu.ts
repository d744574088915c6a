/** The context attributes TensorFlow.js asks for when it creates its own (canvas_util.ts). */
export const WEBGL_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  premultipliedAlpha: false,
  preserveDrawingBuffer: false,
  depth: false,
  stencil: false,
  failIfMajorPerformanceCaveat: false,
};

/** What the GPU behind a WebGL context calls itself. */
export function rendererOf(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** Whether WebGL is emulated on the CPU (slower than TensorFlow.js's WebAssembly backend). */
export const isSoftwareRenderer = (renderer: string) => /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);

/**
 * The name of the GPU behind WebGL 2 in a worker, or null without one: a context made on an
 * OffscreenCanvas and released at once. A worker of its own does this (gpuProbe.ts) while the cell
 * worker loads TensorFlow.js: making a context costs a round trip to the GPU process, hundreds of
 * milliseconds on a software renderer.
 */
export function probeGpu(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2', WEBGL_ATTRIBUTES);
    if (!gl) return null;
    const renderer = rendererOf(gl);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}
