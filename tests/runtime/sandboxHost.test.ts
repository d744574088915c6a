import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type HostToSandbox, type LessonData, type SandboxToHost } from '@/runtime/protocol';
import { SandboxHost, type RunEvent, type Transport } from '@/runtime/host/SandboxHost';

const v = PROTOCOL_VERSION;

class FakeTransport implements Transport {
  sent: HostToSandbox[] = [];
  transfers: Transferable[][] = [];
  destroyed = false;
  private listener: ((m: SandboxToHost) => void) | undefined;
  whenLoaded = () => Promise.resolve();
  send(message: HostToSandbox, transfer: Transferable[] = []) {
    this.sent.push(message);
    this.transfers.push(transfer);
  }
  subscribe(listener: (m: SandboxToHost) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  destroy() {
    this.destroyed = true;
  }
  /** A message as if it came from the frame. */
  emit(message: SandboxToHost) {
    this.listener?.(message);
  }
  types() {
    return this.sent.map((m) => m.type);
  }
}

const data: LessonData = { models: { net: { error: 'no model in tests' } }, datasets: {} };
const script = (text: string) => new TextEncoder().encode(text).buffer;
const boot = { scripts: { tfjs: script('tf()'), tfjsWasm: script('wasm()') }, wasm: {} };
let releaseData: () => void;
/** How many times the host fetched the workers' scripts, and the lesson's data. */
let fetched: { boot: number; data: number };
let transports: FakeTransport[];
let host: SandboxHost;

function current(): FakeTransport {
  return transports.at(-1)!;
}

function startRun(timeBudgetMs = 60_000) {
  const events: RunEvent[] = [];
  const handle = host.run('code', { timeBudgetMs, onEvent: (e) => events.push(e) });
  return { handle, events };
}

beforeEach(() => {
  vi.useFakeTimers();
  transports = [];
  fetched = { boot: 0, data: 0 };
  host = new SandboxHost(
    {
      frameScript: 'frame()',
      scripts: { tfjs: '/tf.js', tfjsWasm: '/tf-wasm.js' },
      wasm: { simd: { name: 'simd.wasm', url: '/simd.wasm' }, plain: { name: 'plain.wasm', url: '/plain.wasm' } },
      lesson: { models: { net: { url: '/net/model.json', bytes: 10 } }, datasets: {} },
    },
    {
      createTransport: () => {
        const t = new FakeTransport();
        transports.push(t);
        return t;
      },
      loadBoot: () => (fetched.boot++, Promise.resolve(boot)),
      loadData: () => (fetched.data++, new Promise((resolve) => (releaseData = () => resolve(data)))),
    },
  );
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SandboxHost', () => {
  it('is idle once it is ready and no run is in progress, so background work waits for a run clicked early', async () => {
    let idle = false;
    const { handle } = startRun();
    void host.whenIdle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(0);
    current().emit({ type: 'sandbox/ready', v, backend: 'wasm', reason: 'test' });
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(false);
    current().emit({ type: 'run/done', v, runId: handle.runId, ok: true, durationMs: 1, tensorsBefore: { count: 0, bytes: 0 }, tensorsAfter: { count: 0, bytes: 0 }, leakedTensors: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(idle).toBe(true);
    // Ready and nothing running: at once.
    await expect(host.whenIdle()).resolves.toBeUndefined();
  });

  it('initialises the frame first and sends runs asked for before that afterwards, in order', async () => {
    const { handle } = startRun();
    expect(current().sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(current().types()).toEqual(['sandbox/init', 'run/start']);
    expect(current().sent[0]).toMatchObject({ type: 'sandbox/init', scripts: boot.scripts });
    expect(current().sent[1]).toMatchObject({ type: 'run/start', runId: handle.runId, code: 'code' });
  });

  it('tells the frame which backend the page asked for, and nothing when it asked for none', async () => {
    startRun();
    await vi.advanceTimersByTimeAsync(0);
    expect(current().sent[0]).not.toHaveProperty('backend');
    const forced = new SandboxHost(
      { frameScript: 'frame()', scripts: { tfjs: '/tf.js', tfjsWasm: '/tf-wasm.js' }, wasm: { simd: { name: 'simd.wasm', url: '/simd.wasm' }, plain: { name: 'plain.wasm', url: '/plain.wasm' } }, lesson: { models: {}, datasets: {} } },
      { createTransport: () => (transports.push(new FakeTransport()), current()), loadBoot: () => Promise.resolve(boot), loadData: () => Promise.resolve(data), backend: 'webgl' },
    );
    forced.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(current().sent[0]).toMatchObject({ type: 'sandbox/init', backend: 'webgl' });
  });

  it("starts runs before the lesson's data has arrived, hands the data over when it does, and reports its progress", async () => {
    const statuses: string[] = [];
    host.subscribeStatus((s) => statuses.push(s.phase === 'ready' || s.phase === 'loading' ? `${s.phase} ${s.assets.loadedBytes}/${s.assets.totalBytes} ${s.assets.done}` : s.phase));
    startRun();
    await vi.advanceTimersByTimeAsync(0);
    current().emit({ type: 'sandbox/ready', v, backend: 'cpu', reason: 'test' });
    expect(current().types()).toEqual(['sandbox/init', 'run/start']);
    releaseData();
    await vi.advanceTimersByTimeAsync(0);
    expect(current().types()).toEqual(['sandbox/init', 'run/start', 'sandbox/data']);
    expect(current().sent[2]).toMatchObject({ type: 'sandbox/data', data });
    expect(statuses).toEqual(['loading 0/10 false', 'ready 0/10 false', 'ready 10/10 true']);
  });

  it("hands the scripts and the lesson's data over without copying them, and fetches them again for a restarted sandbox", async () => {
    const { handle, events } = startRun(60_000);
    releaseData();
    await vi.advanceTimersByTimeAsync(0);
    expect(current().types()).toEqual(['sandbox/init', 'run/start', 'sandbox/data']);
    // The very buffers fetched are transferred: nothing is copied on the page's main thread.
    expect(current().sent[0]).toMatchObject({ scripts: boot.scripts });
    expect(current().transfers[0]).toEqual(expect.arrayContaining([boot.scripts.tfjs, boot.scripts.tfjsWasm]));
    handle.stop('kill');
    await vi.advanceTimersByTimeAsync(1_000); // the frame never confirms: the host replaces it
    expect(events.at(-1)).toMatchObject({ type: 'host/ended', reason: 'stopped' });
    expect(transports).toHaveLength(2);
    expect(fetched).toEqual({ boot: 2, data: 2 });
    expect(current().types()).toEqual(['sandbox/init']);
    releaseData();
    await vi.advanceTimersByTimeAsync(0);
    expect(current().types()).toEqual(['sandbox/init', 'sandbox/data']);
    expect(current().sent[1]).toMatchObject({ type: 'sandbox/data', data });
  });

  it('passes on messages of its runs and drops unknown or stale run ids', async () => {
    const { handle, events } = startRun();
    await vi.advanceTimersByTimeAsync(0);
    current().emit({ type: 'run/started', v, runId: 'someone-else', backend: 'cpu' });
    current().emit({ type: 'run/started', v, runId: handle.runId, backend: 'cpu' });
    current().emit({ type: 'run/done', v, runId: handle.runId, ok: true, durationMs: 1, tensorsBefore: { count: 0, bytes: 0 }, tensorsAfter: { count: 0, bytes: 0 }, leakedTensors: 0 });
    current().emit({ type: 'console/entries', v, runId: handle.runId, entries: [], omitted: 0 });
    expect(events.map((e) => e.type)).toEqual(['run/started', 'run/done']);
  });

  it('stops a run that exceeds its time budget and says so', async () => {
    const { handle, events } = startRun(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([{ type: 'host/ended', runId: handle.runId, reason: 'timeout', detail: 'Stopped: the cell ran longer than its time budget of 1 s.' }]);
    expect(current().sent.at(-1)).toEqual({ type: 'run/stop', v, runId: handle.runId, mode: 'kill' });
  });

  it('ends a run on Stop at once, and removes the whole frame if the kill is not confirmed quickly', async () => {
    const { handle, events } = startRun();
    await vi.advanceTimersByTimeAsync(0);
    handle.stop('kill');
    expect(events).toEqual([{ type: 'host/ended', runId: handle.runId, reason: 'stopped', detail: 'Stopped.' }]);
    const first = current();
    await vi.advanceTimersByTimeAsync(400);
    expect(first.destroyed).toBe(true);
    expect(transports).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(current().types()).toEqual(['sandbox/init']);
  });

  it('keeps the frame when it confirms the kill in time', async () => {
    const { handle } = startRun();
    await vi.advanceTimersByTimeAsync(0);
    handle.stop('kill');
    current().emit({ type: 'run/killed', v, runId: handle.runId });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transports).toHaveLength(1);
    expect(current().destroyed).toBe(false);
  });

  it('notices a sandbox that stopped answering pings, ends its runs and starts a new one', async () => {
    const { handle, events } = startRun();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(current().types()).toContain('sandbox/ping');
    current().emit({ type: 'sandbox/pong', v, id: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(events).toEqual([expect.objectContaining({ type: 'host/ended', runId: handle.runId, reason: 'crashed' })]);
    expect((events[0] as { detail: string }).detail).toMatch(/crashed.*Your code is safe/);
    expect(transports).toHaveLength(2);
  });

  it('reports a sandbox that cannot start, with its reason, and ends runs waiting on it', async () => {
    const statuses: string[] = [];
    host.subscribeStatus((s) => statuses.push(s.phase === 'failed' ? `failed: ${s.message}` : s.phase));
    const { events } = startRun();
    await vi.advanceTimersByTimeAsync(0);
    current().emit({ type: 'sandbox/fatal', v, message: 'TensorFlow.js could not start' });
    expect(statuses.at(-1)).toBe('failed: TensorFlow.js could not start');
    expect(events).toEqual([expect.objectContaining({ type: 'host/ended', reason: 'crashed', detail: 'TensorFlow.js could not start' })]);
    await expect(host.whenReady()).rejects.toThrow('TensorFlow.js could not start');
  });
});
