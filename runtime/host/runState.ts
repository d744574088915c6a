import type { Diagnostic } from '../compiler/compileCell';
import { LIMITS, type ConsoleEntry, type ErrorOrigin, type Preview, type TensorStats } from '../protocol';
import type { HostEndReason } from './SandboxHost';

export type RunStatus = 'idle' | 'compiling' | 'starting' | 'running' | 'stopping' | 'finished' | 'failed' | 'stopped';

export interface RunError {
  origin: ErrorOrigin;
  name: string;
  message: string;
  /** What was thrown, when it was not an Error (`throw null`, `throw 'text'`). */
  value?: Preview;
  isError: boolean;
  /** Stack lines mapped to main.ts. */
  stack: string[];
  location?: { line: number; column: number };
}

export type OutputItem =
  | { kind: 'console'; entry: ConsoleEntry }
  | { kind: 'error'; error: RunError }
  | { kind: 'notice'; tone: 'info' | 'warning' | 'error'; text: string };

export interface RunState {
  runId?: string;
  status: RunStatus;
  /** The first output of the run, kept in full. */
  head: OutputItem[];
  /** The latest output once `head` is full; older items fall out and are counted in `omitted`. */
  tail: OutputItem[];
  omitted: number;
  backend?: string;
  compileMs?: number;
  /** `performance.now()` when the run was handed to the sandbox. */
  startedAt?: number;
  durationMs?: number;
  /** esbuild's findings: errors block the run, warnings do not. */
  diagnostics: Diagnostic[];
  /** Where the first runtime error happened in main.ts, for the editor's marker. */
  errorLocation?: { line: number; column: number };
  tensors?: { before: TensorStats; after: TensorStats };
  endReason?: HostEndReason;
}

export const initialRunState: RunState = { status: 'idle', head: [], tail: [], omitted: 0, diagnostics: [] };

export type RunAction =
  | { type: 'compile/start' }
  | { type: 'compile/failed'; diagnostics: Diagnostic[] }
  | { type: 'run/begin'; runId: string; compileMs: number; startedAt: number; diagnostics: Diagnostic[] }
  | { type: 'run/started'; runId: string; backend: string }
  | { type: 'console/entries'; runId: string; entries: ConsoleEntry[]; omitted: number }
  | { type: 'run/error'; runId: string; error: RunError }
  | { type: 'run/done'; runId: string; ok: boolean; durationMs: number; tensorsBefore: TensorStats; tensorsAfter: TensorStats }
  | { type: 'stop/requested'; runId: string }
  | { type: 'host/ended'; runId: string; reason: HostEndReason; detail: string; durationMs: number };

const ACTIVE: readonly RunStatus[] = ['compiling', 'starting', 'running', 'stopping'];

export function isActive(status: RunStatus): boolean {
  return ACTIVE.includes(status);
}

/** Appends output, keeping the first `headEntries` items and the last `tailEntries`, counting the rest. */
function append(state: RunState, items: readonly OutputItem[], omittedBySandbox = 0): Pick<RunState, 'head' | 'tail' | 'omitted'> {
  let head = state.head;
  let rest = items;
  if (head.length < LIMITS.headEntries) {
    const room = LIMITS.headEntries - head.length;
    head = [...head, ...items.slice(0, room)];
    rest = items.slice(room);
  }
  let omitted = state.omitted + omittedBySandbox;
  let tail = state.tail;
  if (rest.length > 0 || omittedBySandbox > 0) {
    tail = [...tail, ...rest];
    if (tail.length > LIMITS.tailEntries) {
      omitted += tail.length - LIMITS.tailEntries;
      tail = tail.slice(tail.length - LIMITS.tailEntries);
    }
  }
  return { head, tail, omitted };
}

/** Turns what the compiler, the sandbox and the host report into the state a cell's UI renders. */
export function reduceRun(state: RunState, action: RunAction): RunState {
  if (action.type === 'compile/start') return { ...initialRunState, status: 'compiling' };
  if (action.type === 'compile/failed') {
    const errors = action.diagnostics.filter((d) => d.severity === 'error');
    const notices: OutputItem[] = errors.map((d) => ({ kind: 'notice', tone: 'error', text: `main.ts:${d.line}:${d.column}: ${d.message}` }));
    return { ...initialRunState, status: 'failed', diagnostics: action.diagnostics, head: notices };
  }
  if (action.type === 'run/begin') {
    if (state.status !== 'compiling') return state;
    return { ...state, runId: action.runId, status: 'starting', compileMs: action.compileMs, startedAt: action.startedAt, diagnostics: action.diagnostics };
  }
  if (action.runId !== state.runId) return state; // output of an earlier run
  switch (action.type) {
    case 'run/started':
      return state.status === 'starting' ? { ...state, status: 'running', backend: action.backend } : { ...state, backend: action.backend };
    case 'console/entries':
      if (!isActive(state.status)) return state;
      return { ...state, ...append(state, action.entries.map((entry) => ({ kind: 'console', entry })), action.omitted) };
    case 'run/error':
      if (!isActive(state.status)) return state;
      return {
        ...state,
        ...append(state, [{ kind: 'error', error: action.error }]),
        errorLocation: state.errorLocation ?? action.error.location,
      };
    case 'run/done':
      if (!isActive(state.status)) return state;
      return {
        ...state,
        status: action.ok ? 'finished' : 'failed',
        durationMs: action.durationMs,
        tensors: { before: action.tensorsBefore, after: action.tensorsAfter },
      };
    case 'stop/requested':
      return state.status === 'running' || state.status === 'starting' ? { ...state, status: 'stopping' } : state;
    case 'host/ended': {
      if (!isActive(state.status)) return state;
      const tone = action.reason === 'stopped' ? 'info' : 'error';
      return {
        ...state,
        ...append(state, [{ kind: 'notice', tone, text: action.detail }]),
        status: action.reason === 'stopped' ? 'stopped' : 'failed',
        endReason: action.reason,
        durationMs: action.durationMs,
      };
    }
  }
}
