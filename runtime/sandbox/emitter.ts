import { PROTOCOL_VERSION, type ConsoleEntry, type Display, type ErrorOrigin, type Metrics, type RunMessage, type SandboxPhase, type SandboxToHost, type SavedModel, type Thrown } from '../protocol';

type Post = (message: SandboxToHost) => void;
type Fields<T extends SandboxToHost['type'], Omitted extends string> = Omit<Extract<SandboxToHost, { type: T }>, 'type' | 'v' | Omitted>;
type RunDone = Fields<'run/done', 'runId'>;

/**
 * Everything the sandbox worker says about one run. The message literals live here only: each method
 * adds the protocol version and the run id, so a new field is written in one place.
 */
export function createRunEmitter(post: Post, runId: string) {
  const emit = <T extends RunMessage['type']>(type: T, fields: Fields<T, 'runId'>) => post({ type, v: PROTOCOL_VERSION, runId, ...fields } as Extract<SandboxToHost, { type: T }>);
  return {
    started: (backend: string) => emit('run/started', { backend }),
    log: (entries: ConsoleEntry[], omitted: number) => emit('console/entries', { entries, omitted }),
    error: (origin: ErrorOrigin, error: Thrown) => emit('run/error', { origin, error }),
    train: {
      begin: (fitId: number, label: string, epochs: number, batchesPerEpoch?: number) => emit('train/begin', { fitId, label, epochs, batchesPerEpoch }),
      batch: (fitId: number, epoch: number, batch: number, logs: Metrics) => emit('train/batch', { fitId, epoch, batch, logs }),
      epoch: (fitId: number, epoch: number, logs: Metrics) => emit('train/epoch', { fitId, epoch, logs }),
      end: (fitId: number, stopped: boolean) => emit('train/end', { fitId, stopped }),
    },
    display: (display: Display) => emit('display/show', { display }),
    check: (problems: string[]) => emit('check/result', { passed: problems.length === 0, problems }),
    saveModel: (name: string, model: SavedModel) => emit('model/save', { name, model }),
    done: (result: RunDone) => emit('run/done', result),
  };
}

export type RunEmitter = ReturnType<typeof createRunEmitter>;

/** What the worker says about itself while it warms up, before any run. */
export function createSandboxEmitter(post: Post) {
  return {
    progress: (phase: SandboxPhase) => post({ type: 'sandbox/progress', v: PROTOCOL_VERSION, phase }),
    ready: (backend: string, reason: string) => post({ type: 'sandbox/ready', v: PROTOCOL_VERSION, backend, reason }),
    fatal: (message: string) => post({ type: 'sandbox/fatal', v: PROTOCOL_VERSION, message }),
  };
}
