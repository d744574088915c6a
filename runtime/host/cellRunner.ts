import { TraceMap } from '@jridgewell/trace-mapping';
import type { CompileResult } from '../compiler/compileCell';
import { formatStack, mapStack } from './stackMapping';
import { initialRunState, isActive, reduceRun, type RunAction, type RunState } from './runState';
import type { RunEvent, RunHandle, SandboxHost } from './SandboxHost';

export interface CellRunnerOptions {
  compile(source: string): Promise<CompileResult>;
  sandbox: SandboxHost;
  /** A run is stopped after this long, with a message saying so. */
  timeBudgetMs: number;
}

/**
 * Runs one cell: compile, start in the sandbox, fold every event into `RunState`. UI code subscribes
 * to the state and calls `run` and `stop`; it never talks to the sandbox itself.
 */
export class CellRunner {
  private state: RunState = initialRunState;
  private readonly listeners = new Set<() => void>();
  private handle: RunHandle | undefined;
  private startedAt = 0;
  private generation = 0;

  constructor(private readonly options: CellRunnerOptions) {}

  getState = (): RunState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async run(source: string): Promise<void> {
    if (this.handle && isActive(this.state.status)) this.handle.stop('kill');
    const generation = ++this.generation;
    this.dispatch({ type: 'compile/start' });
    const compileStarted = performance.now();
    let result: CompileResult;
    try {
      result = await this.options.compile(source);
    } catch (error) {
      result = { ok: false, diagnostics: [{ severity: 'error', message: `The compiler failed: ${String(error)}`, line: 1, column: 1, endLine: 1, endColumn: 1 }] };
    }
    if (generation !== this.generation) return; // a newer run started while this one compiled
    if (!result.ok) {
      this.dispatch({ type: 'compile/failed', diagnostics: result.diagnostics });
      return;
    }
    const map = new TraceMap(result.map);
    const compileMs = performance.now() - compileStarted;
    this.startedAt = performance.now();
    this.handle = this.options.sandbox.run(result.code, {
      timeBudgetMs: this.options.timeBudgetMs,
      onEvent: (event) => this.onEvent(event, map),
    });
    this.dispatch({ type: 'run/begin', runId: this.handle.runId, compileMs, startedAt: this.startedAt, diagnostics: result.diagnostics });
  }

  /** Ends the current run. */
  stop(): void {
    if (!this.handle || !isActive(this.state.status) || this.state.runId === undefined) return;
    this.dispatch({ type: 'stop/requested', runId: this.state.runId });
    this.handle.stop('kill');
  }

  private onEvent(event: RunEvent, map: TraceMap): void {
    switch (event.type) {
      case 'run/error': {
        const { error } = event;
        const mapped = mapStack(error.stack, map);
        this.dispatch({
          type: 'run/error',
          runId: event.runId,
          error: { origin: event.origin, name: error.name, message: error.message, value: error.value, isError: error.isError, stack: formatStack(mapped.frames), location: mapped.location },
        });
        return;
      }
      case 'host/ended':
        this.dispatch({ ...event, durationMs: performance.now() - this.startedAt });
        return;
      case 'run/killed':
        return;
      default:
        this.dispatch(event);
    }
  }

  private dispatch(action: RunAction): void {
    const next = reduceRun(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
