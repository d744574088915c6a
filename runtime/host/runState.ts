import type { Diagnostic } from '../compiler/compileCell';
import { LIMITS, type ConsoleEntry, type Display, type ErrorOrigin, type Metrics, type Preview, type SavedModel, type TensorStats } from '../protocol';
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
  /** What to do about it, when the message alone does not say. */
  hint?: string;
}

/** One `fit` call as the pane shows it: progress, live curves, final figures. */
export interface FitState {
  fitId: number;
  label: string;
  epochs: number;
  batchesPerEpoch?: number;
  /** Host time (performance.now) when the fit began, for the time-left estimate. */
  beganAt: number;
  /** Host time of the latest progress report. */
  updatedAt: number;
  /** 0-based epoch and batch of the latest report. */
  epoch: number;
  batch: number;
  /** Latest batch metrics. */
  latest: Metrics;
  /** Per-batch metrics, thinned to at most MAX_BATCH_POINTS points. `step` counts batches from 0. */
  batches: { step: number; logs: Metrics }[];
  /** Metrics at the end of each finished epoch (validation metrics appear here). */
  epochLogs: Metrics[];
  status: 'training' | 'finished' | 'stopped';
}

const MAX_BATCH_POINTS = 600;

export type OutputItem =
  | { kind: 'console'; entry: ConsoleEntry }
  | { kind: 'error'; error: RunError }
  | { kind: 'notice'; tone: 'info' | 'warning' | 'error'; text: string }
  | { kind: 'training'; fitId: number }
  | { kind: 'display'; display: Display }
  /** A model the cell saved: kept in the browser and offered for download. */
  | { kind: 'saved-model'; name: string; model: SavedModel };

export interface RunState {
  runId?: string;
  /** How many runs this cell started (a new run is visible even when it ends as fast as the last). */
  runs: number;
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
  tensors?: { before: TensorStats; after: TensorStats; leaked: number };
  endReason?: HostEndReason;
  /** Stop was asked to end training gracefully; pressing it again ends the run. */
  gracefulStop?: boolean;
  /** Every fit of the run, by fitId. */
  fits: FitState[];
  /** The fits of the last run that trained, for drawing this run's curves against them. */
  previousFits: FitState[];
  /** An exercise's verdict on this run. */
  check?: { passed: boolean; problems: string[] };
}

export const initialRunState: RunState = { runs: 0, status: 'idle', head: [], tail: [], omitted: 0, diagnostics: [], fits: [], previousFits: [] };

/** True while a fit of this run is training (Stop then first asks it to finish the current batch). */
export function isTraining(state: RunState): boolean {
  return state.fits.some((fit) => fit.status === 'training');
}

export type RunAction =
  | { type: 'compile/start' }
  /** What the editor's type checker reports: they warn but do not block the run. */
  /** `runs`: the run they belong to (they may arrive after the run started, or even ended). */
  | { type: 'compile/type-errors'; runs: number; errors: readonly { line: number; column: number; message: string }[] }
  | { type: 'compile/failed'; diagnostics: Diagnostic[] }
  | { type: 'run/begin'; runId: string; compileMs: number; startedAt: number; diagnostics: Diagnostic[] }
  | { type: 'run/started'; runId: string; backend: string }
  | { type: 'console/entries'; runId: string; entries: ConsoleEntry[]; omitted: number }
  | { type: 'run/error'; runId: string; error: RunError }
  | { type: 'run/done'; runId: string; ok: boolean; durationMs: number; tensorsBefore: TensorStats; tensorsAfter: TensorStats; leakedTensors: number }
  | { type: 'stop/requested'; runId: string }
  /** Stop was pressed during training: the fit ends after its current batch, the run goes on. */
  | { type: 'stop/graceful'; runId: string }
  | { type: 'train/begin'; runId: string; fitId: number; label: string; epochs: number; batchesPerEpoch?: number; at: number }
  | { type: 'train/batch'; runId: string; fitId: number; epoch: number; batch: number; logs: Metrics; at: number }
  | { type: 'train/epoch'; runId: string; fitId: number; epoch: number; logs: Metrics; at: number }
  | { type: 'train/end'; runId: string; fitId: number; stopped: boolean; at: number }
  | { type: 'display/show'; runId: string; display: Display }
  | { type: 'check/result'; runId: string; passed: boolean; problems: string[] }
  | { type: 'model/saved'; runId: string; name: string; model: SavedModel }
  /** The browser refused to keep a saved model (it can still be downloaded). */
  | { type: 'model/save-failed'; runId: string; name: string; message: string }
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
  if (action.type === 'compile/start') {
    const previousFits = state.fits.length > 0 ? state.fits : state.previousFits;
    return { ...initialRunState, runs: state.runs + 1, status: 'compiling', previousFits };
  }
  if (action.type === 'compile/type-errors') {
    if (action.runs !== state.runs || action.errors.length === 0) return state;
    const { errors } = action;
    const text =
      `main.ts has ${errors.length} type error${errors.length === 1 ? '' : 's'}; running anyway. ` +
      errors
        .slice(0, 3)
        .map((e) => `main.ts:${e.line}:${e.column}: ${e.message}`)
        .join(' · ');
    return { ...state, head: [{ kind: 'notice', tone: 'warning', text }, ...state.head] };
  }
  if (action.type === 'compile/failed') {
    const errors = action.diagnostics.filter((d) => d.severity === 'error');
    const notices: OutputItem[] = errors.map((d) => ({ kind: 'notice', tone: 'error', text: `main.ts:${d.line}:${d.column}: ${d.message}` }));
    return { ...initialRunState, runs: state.runs, status: 'failed', diagnostics: action.diagnostics, head: [...state.head, ...notices], previousFits: state.previousFits };
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
        tensors: { before: action.tensorsBefore, after: action.tensorsAfter, leaked: action.leakedTensors },
        fits: settleFits(state.fits),
      };
    case 'stop/requested':
      return state.status === 'running' || state.status === 'starting' ? { ...state, status: 'stopping' } : state;
    case 'model/saved':
      return isActive(state.status) ? { ...state, ...append(state, [{ kind: 'saved-model', name: action.name, model: action.model }]) } : state;
    case 'model/save-failed':
      // Storage answers asynchronously, possibly after the run ended; the student must still hear of it.
      return { ...state, ...append(state, [{ kind: 'notice', tone: 'error', text: `"${action.name}" could not be kept in this browser: ${action.message} Download it below instead.` }]) };
    case 'check/result':
      return isActive(state.status) ? { ...state, check: { passed: action.passed, problems: action.problems } } : state;
    case 'stop/graceful':
      return isActive(state.status) ? { ...state, gracefulStop: true } : state;
    case 'train/begin': {
      if (!isActive(state.status)) return state;
      const fit: FitState = {
        fitId: action.fitId,
        label: action.label,
        epochs: action.epochs,
        batchesPerEpoch: action.batchesPerEpoch,
        beganAt: action.at,
        updatedAt: action.at,
        epoch: 0,
        batch: -1,
        latest: {},
        batches: [],
        epochLogs: [],
        status: 'training',
      };
      return { ...state, fits: [...state.fits, fit], ...append(state, [{ kind: 'training', fitId: action.fitId }]) };
    }
    case 'train/batch':
      return updateFit(state, action.fitId, (fit) => {
        const step = action.epoch * (fit.batchesPerEpoch ?? action.batch + 1) + action.batch;
        return { ...fit, epoch: action.epoch, batch: action.batch, latest: action.logs, updatedAt: action.at, batches: thin([...fit.batches, { step, logs: action.logs }]) };
      });
    case 'train/epoch':
      return updateFit(state, action.fitId, (fit) => {
        const epochLogs = [...fit.epochLogs];
        epochLogs[action.epoch] = action.logs;
        return { ...fit, epoch: action.epoch, epochLogs, updatedAt: action.at };
      });
    case 'train/end':
      return updateFit(state, action.fitId, (fit) => ({ ...fit, status: action.stopped ? 'stopped' : 'finished', updatedAt: action.at }));
    case 'display/show': {
      if (!isActive(state.status)) return state;
      const item: OutputItem = { kind: 'display', display: action.display };
      const replaced = replaceChart(state, action.display);
      return replaced ?? { ...state, ...append(state, [item]) };
    }
    case 'host/ended': {
      if (!isActive(state.status)) return state;
      const tone = action.reason === 'stopped' ? 'info' : 'error';
      return {
        ...state,
        ...append(state, [{ kind: 'notice', tone, text: action.detail }]),
        status: action.reason === 'stopped' ? 'stopped' : 'failed',
        endReason: action.reason,
        durationMs: action.durationMs,
        fits: settleFits(state.fits),
      };
    }
  }
}

function updateFit(state: RunState, fitId: number, update: (fit: FitState) => FitState): RunState {
  if (!isActive(state.status)) return state;
  const index = state.fits.findIndex((fit) => fit.fitId === fitId);
  if (index < 0) return state;
  const fits = [...state.fits];
  fits[index] = update(fits[index]!);
  return { ...state, fits };
}

/** Halves the batch history when it grows too long, keeping the curve's shape and its latest point. */
function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_BATCH_POINTS) return points;
  return points.filter((_, i) => i % 2 === 1 || i === points.length - 1);
}

/** A run that ended marks fits it interrupted as stopped. */
function settleFits(fits: FitState[]): FitState[] {
  return fits.some((f) => f.status === 'training') ? fits.map((f) => (f.status === 'training' ? { ...f, status: 'stopped' } : f)) : fits;
}

/** A chart shown again under the same id replaces the earlier one where it stands. */
function replaceChart(state: RunState, display: Display): RunState | null {
  if (display.kind !== 'chart') return null;
  const matches = (item: OutputItem) => item.kind === 'display' && item.display.kind === 'chart' && item.display.id === display.id;
  const swap = (items: OutputItem[]) => items.map((item) => (matches(item) ? { kind: 'display' as const, display } : item));
  if (state.head.some(matches)) return { ...state, head: swap(state.head) };
  if (state.tail.some(matches)) return { ...state, tail: swap(state.tail) };
  return null;
}
