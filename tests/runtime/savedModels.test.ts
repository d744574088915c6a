import { describe, expect, it, vi } from 'vitest';
import { CellRunner } from '@/runtime/host/cellRunner';
import { MAX_SAVED_BYTES, memorySavedModels, savedModelStore } from '@/runtime/host/savedModels';
import type { RunEvent, RunHandle, SandboxHost } from '@/runtime/host/SandboxHost';
import { PROTOCOL_VERSION, type SavedModel } from '@/runtime/protocol';

const model = (weightBytes: number): SavedModel => ({ json: '{"modelTopology":{},"weightsManifest":[]}', weights: new ArrayBuffer(weightBytes) });

/** A sandbox that records what each run was given and lets the test play the sandbox's part. */
function fakeSandbox() {
  const runs: { savedModels?: Record<string, SavedModel>; onEvent(event: RunEvent): void; runId: string }[] = [];
  const sandbox = {
    run(_code: string, options: { savedModels?: Record<string, SavedModel>; onEvent(event: RunEvent): void }): RunHandle {
      const runId = `run-${runs.length + 1}`;
      runs.push({ ...options, runId });
      return { runId, stop: () => {} };
    },
  };
  return { sandbox: sandbox as unknown as SandboxHost, runs };
}

const compile = async () => ({ ok: true as const, code: '', map: '{"version":3,"sources":[],"names":[],"mappings":""}', diagnostics: [] });
const done = (runId: string): RunEvent => ({ type: 'run/done', v: PROTOCOL_VERSION, runId, ok: true, durationMs: 1, tensorsBefore: { count: 0, bytes: 0 }, tensorsAfter: { count: 0, bytes: 0 }, leakedTensors: 0 });

describe('saved models', () => {
  it('are stored per lesson, shown in the run, and handed to the next run of any cell of that lesson', async () => {
    const store = memorySavedModels();
    const { sandbox, runs } = fakeSandbox();
    const saver = new CellRunner({ compile, sandbox, timeBudgetMs: 1000, savedModels: store });
    await saver.run('save', { lesson: 'transfer-learning' });
    expect(runs[0]!.savedModels).toEqual({});
    runs[0]!.onEvent({ type: 'model/save', v: PROTOCOL_VERSION, runId: 'run-1', name: 'tuned', model: model(8) });
    runs[0]!.onEvent(done('run-1'));
    const items = [...saver.getState().head];
    expect(items).toEqual([{ kind: 'saved-model', name: 'tuned', model: model(8) }]);

    const loader = new CellRunner({ compile, sandbox, timeBudgetMs: 1000, savedModels: store });
    await loader.run('load', { lesson: 'transfer-learning' });
    expect(Object.keys(runs[1]!.savedModels ?? {})).toEqual(['tuned']);
    await loader.run('load', { lesson: 'another-lesson' });
    expect(runs[2]!.savedModels).toEqual({});
  });

  it('tells the student when the browser cannot keep a model, even after the run ended', async () => {
    const store = { ...memorySavedModels(), put: () => Promise.reject(new Error('The quota is exceeded.')) };
    const { sandbox, runs } = fakeSandbox();
    const runner = new CellRunner({ compile, sandbox, timeBudgetMs: 1000, savedModels: store });
    await runner.run('save', { lesson: 'l' });
    runs[0]!.onEvent({ type: 'model/save', v: PROTOCOL_VERSION, runId: 'run-1', name: 'big', model: model(8) });
    runs[0]!.onEvent(done('run-1'));
    await vi.waitUntil(() => runner.getState().head.some((item) => item.kind === 'notice'));
    expect(runner.getState().head.at(-1)).toEqual({ kind: 'notice', tone: 'error', text: '"big" could not be kept in this browser: The quota is exceeded. Download it below instead.' });
  });

  it('answers a list asked for right after a save with that save, however slowly the storage writes', async () => {
    const kept = new Map<string, SavedModel>();
    const writes: (() => void)[] = [];
    const store = savedModelStore({
      entries: async () => [...kept],
      // A write that lands only when the test says so, as IndexedDB may take its time.
      set: (key, value) => new Promise<void>((resolve) => writes.push(() => resolve(void kept.set(key, value)))),
      del: async (key) => void kept.delete(key),
    });
    const saved = store.put('l', 'tuned', model(8));
    let listed: Record<string, SavedModel> | undefined;
    const listing = store.list('l').then((found) => (listed = found));
    await vi.waitUntil(() => writes.length === 1);
    expect(listed).toBeUndefined(); // still waiting for the write
    writes[0]!();
    await Promise.all([saved, listing]);
    expect(Object.keys(listed ?? {})).toEqual(['tuned']);
  });

  it('refuses to keep more than the per-lesson allowance, but replacing a model by name is fine', async () => {
    const store = memorySavedModels();
    await store.put('l', 'a', model(MAX_SAVED_BYTES / 2));
    await store.put('l', 'a', model(MAX_SAVED_BYTES / 2)); // replaces itself
    await store.put('other', 'b', model(MAX_SAVED_BYTES / 2)); // another lesson's allowance
    await expect(store.put('l', 'b', model(MAX_SAVED_BYTES / 2))).rejects.toThrow(/over the 64 MB allowed/);
    expect(Object.keys(await store.list('l'))).toEqual(['a']);
  });

  it('reads a lesson ahead for the next list, once, and never hands out a read from before a change', async () => {
    const kept = new Map<string, SavedModel>([['l/early', model(4)]]);
    let reads = 0;
    const store = savedModelStore({
      entries: async () => (reads++, [...kept]),
      set: async (key, value) => void kept.set(key, value),
      del: async (key) => void kept.delete(key),
    });
    store.prefetch('l');
    expect(Object.keys(await store.list('l'))).toEqual(['early']);
    expect(reads).toBe(1); // the list took the read made ahead
    await store.list('l');
    expect(reads).toBe(2); // and only once
    store.prefetch('l');
    await store.list('other');
    expect(reads).toBe(4); // another lesson's list reads for itself (and drops the one ahead)
    store.prefetch('l');
    const saving = store.put('l', 'later', model(4));
    expect(Object.keys(await store.list('l')).sort()).toEqual(['early', 'later']);
    await saving;
    store.prefetch('l');
    await store.remove('l', 'early');
    expect(Object.keys(await store.list('l'))).toEqual(['later']);
  });
});
