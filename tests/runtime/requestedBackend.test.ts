import { describe, expect, it } from 'vitest';
import { requestedBackend } from '@/runtime/host/requestedBackend';
import { isHostMessage, PROTOCOL_VERSION, type HostToSandbox } from '@/runtime/protocol';

describe('requestedBackend', () => {
  it('reads ?backend= from a lesson page address, whatever its case and neighbours', () => {
    expect(requestedBackend('?backend=webgl')).toBe('webgl');
    expect(requestedBackend('?x=1&backend=WASM')).toBe('wasm');
    expect(requestedBackend('backend=cpu')).toBe('cpu');
  });

  it('ignores a missing, empty or unknown backend, so a mistyped address still gives a working page', () => {
    for (const search of ['', '?', '?backend=', '?backend=webgpu', '?backend=tensorflow', '?backend=__proto__', '?backend=toString', '?backend=webgl2']) {
      expect(requestedBackend(search), search).toBeUndefined();
    }
  });
});

describe('the frame checks the backend the page asks for', () => {
  const init = (extra: Record<string, unknown>): unknown => ({
    type: 'sandbox/init',
    v: PROTOCOL_VERSION,
    scripts: { tfjs: new ArrayBuffer(4), tfjsWasm: new ArrayBuffer(4) },
    wasm: { 'tfjs-backend-wasm-simd.wasm': new ArrayBuffer(8) },
    ...extra,
  });

  it('accepts an init without one or with a backend it loads', () => {
    expect(isHostMessage(init({}))).toBe(true);
    for (const backend of ['webgl', 'wasm', 'cpu'] satisfies NonNullable<Extract<HostToSandbox, { type: 'sandbox/init' }>['backend']>[]) {
      expect(isHostMessage(init({ backend })), backend).toBe(true);
    }
  });

  it('drops an init that names anything else', () => {
    for (const backend of ['webgpu', '', 1, null, { toString: () => 'webgl' }, ['webgl']]) {
      expect(isHostMessage(init({ backend })), String(backend)).toBe(false);
    }
  });
});
