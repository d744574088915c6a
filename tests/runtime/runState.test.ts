import { describe, expect, it } from 'vitest';
import { LIMITS, type ConsoleEntry } from '@/runtime/protocol';
import { initialRunState, reduceRun, type RunAction, type RunState } from '@/runtime/host/runState';

const stats = { count: 0, bytes: 0 };
const log = (text: string): ConsoleEntry => ({ kind: 'log', level: 'log', args: [{ k: 'string', v: text }] });

function run(...actions: RunAction[]): RunState {
  return actions.reduce(reduceRun, initialRunState);
}

const begun: RunAction[] = [
  { type: 'compile/start' },
  { type: 'run/begin', runId: 'r1', compileMs: 3, startedAt: 100, diagnostics: [] },
  { type: 'run/started', runId: 'r1', backend: 'webgl' },
];

function texts(state: RunState, part: 'head' | 'tail'): string[] {
  return state[part].map((item) => (item.kind === 'console' && item.entry.kind === 'log' && item.entry.args[0]?.k === 'string' ? item.entry.args[0].v : item.kind));
}

describe('reduceRun', () => {
  it('goes from compiling through running to finished, keeping output in order', () => {
    const state = run(
      ...begun,
      { type: 'console/entries', runId: 'r1', entries: [log('a'), log('b')], omitted: 0 },
      { type: 'console/entries', runId: 'r1', entries: [log('c')], omitted: 0 },
      { type: 'run/done', runId: 'r1', ok: true, durationMs: 12, tensorsBefore: stats, tensorsAfter: { count: 2, bytes: 8 }, leakedTensors: 0 },
    );
    expect(state.status).toBe('finished');
    expect(state.backend).toBe('webgl');
    expect(state.durationMs).toBe(12);
    expect(texts(state, 'head')).toEqual(['a', 'b', 'c']);
    expect(state.tensors).toEqual({ before: stats, after: { count: 2, bytes: 8 }, leaked: 0 });
  });

  it('drops messages of another run', () => {
    const state = run(...begun, { type: 'console/entries', runId: 'old', entries: [log('stale')], omitted: 0 });
    expect(state.head).toEqual([]);
  });

  it('ignores output that arrives after the run ended', () => {
    const state = run(
      ...begun,
      { type: 'host/ended', runId: 'r1', reason: 'stopped', detail: 'Stopped.', durationMs: 5 },
      { type: 'console/entries', runId: 'r1', entries: [log('late')], omitted: 0 },
    );
    expect(state.status).toBe('stopped');
    expect(state.head.map((i) => i.kind)).toEqual(['notice']);
  });

  it('keeps the first and the last lines of a flood and counts the ones in between', () => {
    const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => log(String(from + i)));
    let state = run(...begun);
    for (let i = 0; i < 100; i++) {
      state = reduceRun(state, { type: 'console/entries', runId: 'r1', entries: batch(i * 1000, 1000), omitted: 0 });
    }
    state = reduceRun(state, { type: 'console/entries', runId: 'r1', entries: [], omitted: 7 });
    expect(state.head).toHaveLength(LIMITS.headEntries);
    expect(state.tail).toHaveLength(LIMITS.tailEntries);
    expect(texts(state, 'head')[0]).toBe('0');
    expect(texts(state, 'tail').at(-1)).toBe('99999');
    expect(state.omitted).toBe(100_000 - LIMITS.headEntries - LIMITS.tailEntries + 7);
  });

  it('records compile failures as notices and diagnostics, without a run id', () => {
    const diagnostic = { severity: 'error' as const, message: 'Unexpected ";"', line: 2, column: 11, endLine: 2, endColumn: 12 };
    const state = run({ type: 'compile/start' }, { type: 'compile/failed', diagnostics: [diagnostic] });
    expect(state.status).toBe('failed');
    expect(state.runId).toBeUndefined();
    expect(state.diagnostics).toEqual([diagnostic]);
    expect(state.head).toEqual([{ kind: 'notice', tone: 'error', text: 'main.ts:2:11: Unexpected ";"' }]);
  });

  it('remembers where the first runtime error happened and marks the run failed', () => {
    const error = (line: number) => ({ origin: 'top-level' as const, name: 'Error', message: 'x', isError: true, stack: [], location: { line, column: 1 } });
    const state = run(
      ...begun,
      { type: 'run/error', runId: 'r1', error: error(3) },
      { type: 'run/error', runId: 'r1', error: error(9) },
      { type: 'run/done', runId: 'r1', ok: false, durationMs: 1, tensorsBefore: stats, tensorsAfter: stats, leakedTensors: 0 },
    );
    expect(state.status).toBe('failed');
    expect(state.errorLocation).toEqual({ line: 3, column: 1 });
    expect(state.head.map((i) => i.kind)).toEqual(['error', 'error']);
  });

  it('reports a time-budget stop as a failure with the reason', () => {
    const state = run(...begun, { type: 'host/ended', runId: 'r1', reason: 'timeout', detail: 'Stopped: the cell ran longer than its time budget of 1 s.', durationMs: 1000 });
    expect(state.status).toBe('failed');
    expect(state.endReason).toBe('timeout');
    expect(state.head).toEqual([{ kind: 'notice', tone: 'error', text: 'Stopped: the cell ran longer than its time budget of 1 s.' }]);
  });

  it('starts clean on every compile', () => {
    const state = run(...begun, { type: 'console/entries', runId: 'r1', entries: [log('a')], omitted: 0 }, { type: 'compile/start' });
    expect(state.runs).toBe(2);
    expect(state).toEqual({ ...initialRunState, runs: 2, status: 'compiling' });
  });

  it('keeps the last run\'s training curves for comparison and reports type errors as a warning', () => {
    const trained = run(...begun, { type: 'train/begin', runId: 'r1', fitId: 1, label: 'fit 1', epochs: 1, at: 0 });
    const next = [
      { type: 'compile/start' } as const,
      { type: 'compile/type-errors', runs: 2, errors: [{ line: 2, column: 7, message: 'Type "string" is not assignable to type "number".' }] } as const,
    ].reduce(reduceRun, trained);
    expect(next.previousFits.map((f) => f.label)).toEqual(['fit 1']);
    expect(next.head).toEqual([{ kind: 'notice', tone: 'warning', text: 'main.ts has 1 type error; running anyway. main.ts:2:7: Type "string" is not assignable to type "number".' }]);
  });

  it('puts type errors that arrive after the output started first, and drops those of an earlier run', () => {
    const warning = (runs: number) => ({ type: 'compile/type-errors', runs, errors: [{ line: 1, column: 1, message: 'x' }] }) as const;
    const state = run(...begun, { type: 'console/entries', runId: 'r1', entries: [log('a')], omitted: 0 }, warning(1), warning(0));
    expect(state.head.map((item) => item.kind)).toEqual(['notice', 'console']);
  });
});
