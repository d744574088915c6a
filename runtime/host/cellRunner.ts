import { TraceMap } from '@jridgewell/trace-mapping';
import type { CompiledCode, CompileResult } from '../compiler/compileCell';
import { formatStack, mapStack } from './stackMapping';
import { initialRunState, isActive, isTraining, reduceRun, type RunAction, type RunState } from './runState';
import type { SavedModel } from '../protocol';
import type { SavedModelStore } from './savedModels';
import type { RunEvent, RunHandle, SandboxHost } from './SandboxHost';

export interface CellRunnerOptions {
  /** Compiles TypeScript; `file` names it in diagnostics (main.ts for cells, check.ts for checks). */
  compile(source: string, file?: string): Promise<CompileResult>;
  sandbox: Pick<SandboxHost, 'run'>;
  /** A run is stopped after this long, with a message saying so. */
  timeBudgetMs: number;
  /** Where `lesson.saveModel` keeps models, per lesson. */
  savedModels: SavedModelStore;
}

/** Advice for errors whose message alone does not say what to do. */
function hintFor(name: string, message: string): string | undefined {
  if (name === 'ReferenceError' && /^(document|window|self\.document|Image|HTMLImageElement|HTMLCanvasElement|Audio) is not defined/.test(message)) {
    return 'Cells run in a sandboxed worker, apart from the lesson page: there is no page, window or DOM. Show results with console.log or the lesson module\'s show… functions.';
  }
  if (/Failed to fetch|NetworkError|Content Security Policy|sendBeacon is not a function/i.test(message)) {
    return 'Cells cannot reach the network. The lesson module provides the model and data.';
  }
  const backend = /^Backend name '([^']{0,40})' not found in registry/.exec(message);
  if (backend) {
    return `The sandbox has no "${backend[1]}" backend: it runs on the backends it loaded (webgl, wasm and cpu) and picks the fastest one here; tf.getBackend() says which.`;
  }
  return undefined;
}

type TypeError = { line: number; column: number; message: string };

export interface RunExtras {
  /**
   * The editor's type errors: reported with the run, never blocking it. A function is called once the
   * run has been handed to the sandbox (or compiling failed), so that the type checker does not compete
   * for the CPU with compiling and starting the run.
   */
  typeErrors?: readonly TypeError[] | (() => Promise<readonly TypeError[]>);
  /** Per-run inputs by name (RUN_INPUT), e.g. the student's drawings for lesson.loadDrawings(). */
  inputs?: Record<string, ArrayBuffer>;
  /**
   * `source` as the build compiled it, when it is the lesson's unedited code: the run then needs no
   * compiler (which a page loads only once a student edits).
   */
  compiled?: CompiledCode;
  /** An exercise's check, run after the cell against its exports: compiled by the build, or TypeScript source. */
  check?: CompiledCode | string;
  /** The lesson the cell belongs to: its saved models are handed to the run. */
  lesson?: string;
}

/**
 * Runs one cell: compile, start in the sandbox, fold every event into `RunState`. UI code subscribes
 * to the state and calls `run` and `stop`; it never talks to the sandbox itself.
 */
/** One frame at 60 Hz, in ms. */
const FRAME_MS = 1000 / 60;
/** What a run shows in its pane: the first of these in a run is told to the pane at once. */
const FIRST_OUTPUT: ReadonlySet<RunAction['type']> = new Set(['console/entries', 'display/show', 'run/error', 'train/begin']);

export class CellRunner {
  private state: RunState = initialRunState;
  private readonly listeners = new Set<() => void>();
  private handle: RunHandle | undefined;
  private startedAt = 0;
  private generation = 0;
  private gracefulStopSent = false;

  constructor(private readonly options: CellRunnerOptions) {}

  getState = (): RunState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async run(source: string, options: RunExtras = {}): Promise<void> {
    if (this.handle && isActive(this.state.status)) this.handle.stop('kill');
    const generation = ++this.generation;
    this.gracefulStopSent = false;
    this.dispatch({ type: 'compile/start' });
    const compileStarted = performance.now();
    const check = options.check;
    const compiledCheck: Promise<CompileResult> | undefined =
      check === undefined ? undefined : typeof check === 'string' ? this.compileCheck(check) : Promise.resolve({ ok: true, ...check, diagnostics: [] });
    const precompiled = options.compiled;
    const compiled = (precompiled ? Promise.resolve<CompileResult>({ ok: true, ...precompiled, diagnostics: [] }) : this.options.compile(source)).catch(
      (error: unknown): CompileResult => ({
        ok: false,
        diagnostics: [{ severity: 'error', message: `The compiler failed: ${String(error)}`, line: 1, column: 1, endLine: 1, endColumn: 1 }],
      }),
    );
    // Looked up while compiling: reading IndexedDB can take tens of milliseconds.
    const lesson = options.lesson;
    const savedModels = lesson === undefined ? undefined : this.savedModelsOf(lesson);
    // Type errors warn, they never hold a run back: the notice joins the output whenever the
    // editor's checker answers (a busy TypeScript worker can take hundreds of milliseconds).
    const runNumber = this.state.runs;
    const reportTypeErrors = () =>
      Promise.resolve()
        .then(() => (typeof options.typeErrors === 'function' ? options.typeErrors() : (options.typeErrors ?? [])))
        .catch(() => [])
        .then((errors) => {
          if (generation === this.generation) this.dispatch({ type: 'compile/type-errors', runs: runNumber, errors });
        });
    const result = await compiled;
    if (generation !== this.generation) return; // a newer run started meanwhile
    if (!result.ok) {
      await reportTypeErrors(); // shown above the syntax errors, as both are about the text that was run
      if (generation === this.generation) this.dispatch({ type: 'compile/failed', diagnostics: result.diagnostics });
      return;
    }
    let checkCode: string | undefined;
    if (compiledCheck) {
      const checkResult = await compiledCheck;
      if (generation !== this.generation) return;
      if (!checkResult.ok) {
        const first = checkResult.diagnostics[0];
        this.dispatch({
          type: 'compile/failed',
          diagnostics: [{ severity: 'error', message: `This exercise's check does not compile (a lesson bug, not yours): check.ts:${first?.line}:${first?.column}: ${first?.message}`, line: 1, column: 1, endLine: 1, endColumn: 1 }],
        });
        return;
      }
      checkCode = checkResult.code;
    }
    const models = await savedModels;
    if (generation !== this.generation) return;
    // Read only if the run throws: decoding a source map is work the first output need not wait for.
    let traceMap: TraceMap | undefined;
    const map = () => (traceMap ??= new TraceMap(result.map));
    const compileMs = performance.now() - compileStarted;
    this.startedAt = performance.now();
    this.handle = this.options.sandbox.run(result.code, {
      inputs: options.inputs,
      check: checkCode,
      savedModels: models,
      timeBudgetMs: this.options.timeBudgetMs,
      onEvent: (event) => this.onEvent(event, map, lesson),
    });
    this.dispatch({ type: 'run/begin', runId: this.handle.runId, compileMs, startedAt: this.startedAt, diagnostics: result.diagnostics });
    void reportTypeErrors();
  }

  /** The lesson's saved models; the store answers after every save asked for before (by any cell). */
  private savedModelsOf(lesson: string): Promise<Record<string, SavedModel>> {
    return this.options.savedModels.list(lesson).catch(() => ({}));
  }

  private saveModel(lesson: string | undefined, event: Extract<RunEvent, { type: 'model/save' }>): void {
    const { runId, name, model } = event;
    this.dispatch({ type: 'model/saved', runId, name, model });
    if (lesson === undefined) return;
    this.options.savedModels.put(lesson, name, model).catch((error: unknown) => {
      this.dispatch({ type: 'model/save-failed', runId, name, message: error instanceof Error ? error.message : String(error) });
    });
  }

  private checkCache: { source: string; result: Promise<CompileResult> } | undefined;

  /** An exercise's check never changes, so it is compiled once. */
  private compileCheck(source: string): Promise<CompileResult> {
    if (this.checkCache?.source !== source) this.checkCache = { source, result: this.options.compile(source, 'check.ts') };
    return this.checkCache.result;
  }

  /**
   * Stops the current run. While a fit is training, the first Stop asks it to end after the current
   * batch (the model keeps what it learned and the code after `fit` runs); a second Stop ends the run.
   */
  stop(): void {
    if (!this.handle || !isActive(this.state.status) || this.state.runId === undefined) return;
    if (isTraining(this.state) && !this.gracefulStopSent) {
      this.gracefulStopSent = true;
      this.handle.stop('graceful');
      this.dispatch({ type: 'stop/graceful', runId: this.state.runId });
      return;
    }
    this.dispatch({ type: 'stop/requested', runId: this.state.runId });
    this.handle.stop('kill');
  }

  private onEvent(event: RunEvent, map: () => TraceMap, lesson: string | undefined): void {
    switch (event.type) {
      case 'model/save':
        this.saveModel(lesson, event);
        return;
      case 'run/error': {
        const { error } = event;
        const mapped = mapStack(error.stack, map());
        this.dispatch({
          type: 'run/error',
          runId: event.runId,
          error: {
            origin: event.origin,
            name: error.name,
            message: error.message,
            value: error.value,
            isError: error.isError,
            stack: formatStack(mapped.frames),
            location: mapped.location,
            hint: hintFor(error.name, error.message),
          },
        });
        return;
      }
      case 'host/ended':
        this.dispatch({ ...event, durationMs: performance.now() - this.startedAt });
        return;
      case 'run/killed':
        return;
      case 'train/begin':
      case 'train/batch':
      case 'train/epoch':
      case 'train/end':
        this.dispatch({ ...event, at: performance.now() });
        return;
      default:
        this.dispatch(event);
    }
  }

  private dispatch(action: RunAction): void {
    const next = reduceRun(this.state, action);
    if (next === this.state) return;
    // The first output of a run is what a student waits for after Run: it is told at once, frame or not.
    const firstOutput = FIRST_OUTPUT.has(action.type) && !this.outputShown;
    if (action.type === 'compile/start') this.outputShown = false;
    else if (FIRST_OUTPUT.has(action.type)) this.outputShown = true;
    this.state = next;
    this.scheduleNotify(firstOutput);
  }

  /** Whether the current run's output has been told yet (see FIRST_OUTPUT). */
  private outputShown = false;
  private notifyScheduled = false;
  /** Which scheduled notification is the live one: an urgent one replaces one waiting for its frame. */
  private notifyToken = 0;
  /** When subscribers last heard of a change, and had rendered it (performance.now()). */
  private notifiedAt = -Infinity;

  /**
   * Tells subscribers about the new state at most once a frame: a run can send hundreds of messages a
   * second, and redrawing the pane for each would starve the page. A change after a quiet frame is told
   * at once (in a microtask, so that one message's changes come as one); a change within a frame of the
   * last is told when that frame is over. So no change waits longer than a frame, whatever the
   * browser's frame rate: on a busy software-rendered page an animation frame can come 100 ms late, and
   * the first line of a run would wait for it. `now`: the run's first output, told at once even within
   * a frame of the last change (the run's start, often).
   */
  private scheduleNotify(now = false): void {
    if (this.notifyScheduled && !now) return;
    const token = ++this.notifyToken;
    this.notifyScheduled = true;
    const notify = () => {
      if (token !== this.notifyToken) return; // told already, by a notification scheduled later
      this.notifyScheduled = false;
      this.notifiedAt = performance.now();
      for (const listener of this.listeners) listener();
      // Again once React has rendered what the listeners asked for (it does so in a microtask queued
      // before this one): the frame the page gets to itself starts when that work ends.
      queueMicrotask(() => (this.notifiedAt = performance.now()));
    };
    const wait = now ? 0 : FRAME_MS - (performance.now() - this.notifiedAt);
    if (wait <= 0) queueMicrotask(notify);
    else setTimeout(notify, wait);
  }
}
