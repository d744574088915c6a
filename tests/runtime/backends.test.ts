import type * as TF from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend, makeWebglContextOnDemand, prepareWasmBackend, sandboxWebgl } from '@/runtime/sandbox/backends';
import type { SandboxBackend } from '@/runtime/protocol';
import { watchContextLoss } from '@/runtime/sandbox/contextLoss';

/*
 * The choice of backend with a stand-in for TensorFlow.js and for the browser's OffscreenCanvas
 * (Node has neither WebGL nor a worker). The real thing runs in the browser tests (backends.test.ts).
 */

interface FakeTf {
  tf: typeof TF;
  started: string[];
  webglContexts: unknown[];
  flags: Record<string, unknown>;
}

function fakeTf(options: { starts?: string[]; safari?: boolean } = {}): FakeTf {
  const starts = new Set(options.starts ?? ['webgl', 'wasm', 'cpu']);
  const fake: FakeTf = { started: [], webglContexts: [], flags: {}, tf: undefined as unknown as typeof TF };
  fake.tf = {
    setBackend: async (name: string) => {
      fake.started.push(name);
      return starts.has(name);
    },
    setWebGLContext: (version: number, gl: unknown) => fake.webglContexts.push([version, gl]),
    env: () => ({ getBool: (flag: string) => flag === 'IS_SAFARI' && options.safari === true, set: (flag: string, value: unknown) => (fake.flags[flag] = value) }),
  } as unknown as typeof TF;
  return fake;
}

/** A browser whose workers offer WebGL 2 on a GPU that calls itself `renderer`. */
function withWebgl(renderer: string) {
  const gl = {
    getExtension: (name: string) => (name === 'WEBGL_debug_renderer_info' ? { UNMASKED_RENDERER_WEBGL: 0x9246 } : name === 'WEBGL_lose_context' ? { loseContext: vi.fn() } : null),
    getParameter: (p: number) => (p === 0x9246 ? renderer : 'masked'),
    isContextLost: () => false,
  };
  vi.stubGlobal(
    'OffscreenCanvas',
    class extends EventTarget {
      getContext(type: string) {
        return type === 'webgl2' ? gl : null;
      }
    },
  );
  return gl;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const wasmReady = { ok: true, why: 'ready' };
const wasmFailed = { ok: false, why: 'its binaries were not downloaded' };

/**
 * chooseBackend as the worker calls it: `renderer` is what the frame's look at WebGL 2 found (null:
 * none); the worker's own context comes from the OffscreenCanvas stub, made only if it is used.
 */
function choose(fake: FakeTf, options: { requested?: SandboxBackend; wasm: { ok: boolean; why: string }; renderer: string | null | undefined }) {
  return chooseBackend(fake.tf, { requested: options.requested, wasm: options.wasm, gpu: options.renderer, webgl: sandboxWebgl(fake.tf) });
}

describe('chooseBackend', () => {
  it('takes WebGL on a real GPU, on a context the sandbox made and handed to TensorFlow.js', async () => {
    const gl = withWebgl('ANGLE (NVIDIA GeForce RTX 3060)');
    const fake = fakeTf();
    const choice = await choose(fake, { wasm: wasmReady, renderer: 'ANGLE (NVIDIA GeForce RTX 3060)' });
    expect(choice).toMatchObject({ backend: 'webgl', reason: 'WebGL on ANGLE (NVIDIA GeForce RTX 3060)' });
    expect(fake.webglContexts).toEqual([[2, gl]]);
    expect(fake.flags).toEqual({});
  });

  it('turns off fence and timer-query polling on Safari, where they never signal', async () => {
    withWebgl('Apple GPU');
    const fake = fakeTf({ safari: true });
    expect((await choose(fake, { wasm: wasmReady, renderer: 'Apple GPU' })).backend).toBe('webgl');
    expect(fake.flags).toEqual({ WEBGL_FENCE_API_ENABLED: false, WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_VERSION: 0 });
  });

  it('trains on WebAssembly when WebGL is emulated in software, says why, and makes no WebGL context', async () => {
    const renderer = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
    withWebgl(renderer);
    const fake = fakeTf();
    const choice = await choose(fake, { wasm: wasmReady, renderer });
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/^WebGL is emulated in software here \(ANGLE .*SwiftShader driver\)\), so WebAssembly, the fastest CPU backend, trains and predicts$/);
    expect(fake.started).toEqual(['wasm']);
    expect(fake.webglContexts).toEqual([]);
  });

  it('trains on WebAssembly without WebGL', async () => {
    const choice = await choose(fakeTf(), { wasm: wasmReady, renderer: null });
    expect(choice).toMatchObject({ backend: 'wasm', reason: 'no WebGL 2 in this browser, so WebAssembly, the fastest CPU backend, trains and predicts' });
  });

  it('falls back to cpu when WebAssembly did not start, or when WebGL fails on a real GPU too', async () => {
    expect(await choose(fakeTf(), { wasm: wasmFailed, renderer: null })).toMatchObject({ backend: 'cpu', reason: 'no WebGL 2 in this browser; WebAssembly could not start (its binaries were not downloaded)' });
    withWebgl('Intel Iris');
    const fake = fakeTf({ starts: ['cpu'] });
    expect(await choose(fake, { wasm: wasmFailed, renderer: 'Intel Iris' })).toMatchObject({ backend: 'cpu', reason: 'WebGL on Intel Iris failed to start; WebAssembly could not start (its binaries were not downloaded)' });
    expect(fake.started).toEqual(['webgl', 'cpu']);
  });

  it('says so when this worker cannot make the context the probe made', async () => {
    // No OffscreenCanvas stub: this worker gets no context, although the probe found a GPU.
    expect(await choose(fakeTf(), { wasm: wasmReady, renderer: 'Apple GPU' })).toMatchObject({
      backend: 'wasm',
      reason: 'WebGL on Apple GPU failed to start, so WebAssembly, the fastest CPU backend, trains and predicts',
    });
  });

  it('uses the backend the page asked for, software WebGL included', async () => {
    withWebgl('SwiftShader');
    expect(await choose(fakeTf(), { requested: 'webgl', wasm: wasmReady, renderer: 'SwiftShader' })).toMatchObject({ backend: 'webgl', reason: 'WebGL on SwiftShader, as the page asked (?backend=webgl)' });
    expect(await choose(fakeTf(), { requested: 'cpu', wasm: wasmReady, renderer: 'SwiftShader' })).toMatchObject({ backend: 'cpu', reason: 'the page asked for the cpu backend (?backend=cpu); inference uses WebAssembly' });
    expect(await choose(fakeTf(), { requested: 'wasm', wasm: wasmReady, renderer: 'SwiftShader' })).toMatchObject({ backend: 'wasm', reason: 'the page asked for WebAssembly (?backend=wasm)' });
  });

  it('chooses the fastest CPU backend for now while the probe has not answered, without a WebGL context', async () => {
    withWebgl('ANGLE (NVIDIA GeForce RTX 3060)');
    const fake = fakeTf();
    expect(await choose(fake, { wasm: wasmReady, renderer: undefined })).toEqual({
      backend: 'wasm',
      reason: 'the sandbox is still finding out whether WebGL runs on a real GPU here, so WebAssembly, the fastest CPU backend, trains and predicts',
      provisional: true,
    });
    expect(fake.webglContexts).toEqual([]);
    expect(await choose(fakeTf(), { wasm: wasmFailed, renderer: undefined })).toMatchObject({ backend: 'cpu', provisional: true });
    // What the page asked for needs no probe.
    expect(await choose(fakeTf(), { requested: 'wasm', wasm: wasmReady, renderer: undefined })).toEqual({ backend: 'wasm', reason: 'the page asked for WebAssembly (?backend=wasm)' });
    expect(await choose(fakeTf(), { requested: 'webgl', wasm: wasmReady, renderer: undefined })).toMatchObject({ backend: 'webgl' });
  });

  it('says so when the backend the page asked for cannot start, and picks another', async () => {
    expect(await choose(fakeTf(), { requested: 'webgl', wasm: wasmReady, renderer: null })).toMatchObject({
      backend: 'wasm',
      reason: 'no WebGL 2 in this browser; the page asked for WebGL (?backend=webgl), which this browser does not offer in a worker, so WebAssembly, the fastest CPU backend, trains and predicts',
    });
    expect(await choose(fakeTf(), { requested: 'wasm', wasm: wasmFailed, renderer: null })).toMatchObject({
      backend: 'cpu',
      reason: 'no WebGL 2 in this browser; the page asked for WebAssembly (?backend=wasm), which could not start (its binaries were not downloaded)',
    });
  });
});

describe('makeWebglContextOnDemand', () => {
  it('makes the sandbox context, once, when a cell switches TensorFlow.js to WebGL', async () => {
    const gl = withWebgl('SwiftShader');
    const fake = fakeTf();
    const switched: string[] = [];
    const engine = { setBackend: async (name: string) => switched.push(name) > 0 };
    (fake.tf as unknown as { engine: () => typeof engine }).engine = () => engine;
    const webgl = sandboxWebgl(fake.tf);
    makeWebglContextOnDemand(fake.tf, webgl);
    await fake.tf.engine().setBackend('cpu');
    expect(webgl.current()).toBeUndefined();
    await fake.tf.engine().setBackend('webgl');
    await fake.tf.engine().setBackend('webgl');
    expect(webgl.current()?.gl).toBe(gl);
    expect(fake.webglContexts).toEqual([[2, gl]]);
    expect(switched).toEqual(['cpu', 'webgl', 'webgl']);
  });
});

describe('prepareWasmBackend', () => {
  /** A stand-in for tf with the wasm backend's script loaded: it records the paths it is given. */
  const wasmTf = () => {
    const given: Record<string, string>[] = [];
    const tf = {
      wasm: { setWasmPaths: (paths: Record<string, string>) => given.push({ ...paths }) },
      getKernel: () => ({}), // the training kernels: already there
      setBackend: async (name: string) => name === 'wasm',
    } as unknown as typeof TF;
    return { tf, given };
  };

  it('points every build tfjs asks for at the one binary the page sent (tfjs refuses to start otherwise)', async () => {
    for (const sent of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']) {
      const { tf, given } = wasmTf();
      expect(await prepareWasmBackend(tf, () => {}, { [sent]: new ArrayBuffer(8) }), sent).toEqual({ ok: true, why: 'ready' });
      const paths = given[0]!;
      expect(Object.keys(paths).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
      expect(new Set(Object.values(paths)).size, sent).toBe(1);
      expect(paths[sent]).toMatch(/^blob:/);
    }
  });

  it('says why when there is no binary or the script defined nothing', async () => {
    expect(await prepareWasmBackend(wasmTf().tf, () => {}, {})).toEqual({ ok: false, why: 'its binaries were not downloaded' });
    expect(await prepareWasmBackend({} as typeof TF, () => {}, { 'tfjs-backend-wasm.wasm': new ArrayBuffer(8) })).toEqual({ ok: false, why: 'its script did not load' });
  });
});

describe('watchContextLoss', () => {
  const context = () => {
    let lost = false;
    const canvas = new EventTarget();
    const gl = { isContextLost: () => lost };
    return { webgl: { canvas: canvas as unknown as OffscreenCanvas, gl: gl as unknown as WebGL2RenderingContext, renderer: 'test' }, lose: () => ((lost = true), canvas.dispatchEvent(new Event('webglcontextlost', { cancelable: true }))) };
  };

  it('reports a lost context once, and says it is lost from then on', () => {
    const { webgl, lose } = context();
    const onLost = vi.fn();
    const watch = watchContextLoss(webgl, onLost);
    expect(watch.lost()).toBe(false);
    const event = lose();
    expect(event).toBe(false); // default prevented, as tfjs does, so the browser may restore it
    lose();
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(watch.lost()).toBe(true);
  });

  it('stops listening when asked, and watches nothing without WebGL', () => {
    const { webgl, lose } = context();
    const onLost = vi.fn();
    watchContextLoss(webgl, onLost).stop();
    lose();
    expect(onLost).not.toHaveBeenCalled();
    expect(watchContextLoss(undefined, onLost).lost()).toBe(false);
  });
});
