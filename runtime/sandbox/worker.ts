/// <reference lib="webworker" />
/**
 * The sandbox worker: loads TensorFlow.js once while it waits as the warm spare, then runs exactly one
 * cell and is thrown away. Everything it sends goes through a private MessagePort given by the frame,
 * so student code (which shares this global scope) cannot forge messages on that channel.
 */
import type * as TF from '@tensorflow/tfjs';
import {
  CELL_GLOBAL,
  isSandboxBackend,
  PROTOCOL_VERSION,
  type ErrorOrigin,
  type FrameToWorker,
  type Preview,
  type SandboxAssets,
  type SandboxBackend,
  type SandboxData,
  type SandboxToHost,
  type TensorStats,
  type Thrown,
} from '../protocol';
import { chooseBackend, prepareWasmBackend } from './backends';
import { CONTEXT_LOST, watchContextLoss } from './contextLoss';
import { registerTypedCpuCast } from './cpuCast';
import { registerFastCpuKernels } from './fastCpuKernels';
import { createFrameScheduler } from './frameScheduler';
import { createLessonModule, deserializeBackbone } from './lesson/lessonModule';
import { instrumentTraining } from './training';
import { ConsoleChannel } from './consoleChannel';
import {
  BlobCtor,
  DOMExceptionMessage,
  DOMExceptionName,
  DOMExceptionProto,
  ErrorProto,
  findDescriptor,
  inheritsFrom,
  ObjectGetOwnPropertyDescriptor,
  PerformanceNow,
  PromiseCtor,
  ReflectApply,
  SetTimeout,
  StringSlice,
  URLCreateObjectURL,
  URLRevokeObjectURL,
} from './intrinsics';
import { createPreviewer, type TensorReader } from './preview';
import { trackTimers, type TimerScope } from './timers';
import { explainUnavailableGlobals } from './unavailable';

/** Animation frames for this worker, which is never painted. */
const frames = createFrameScheduler();

/** Captured before student code can replace it: the runtime loads the compiled cell with it. */
const loadScript = importScripts.bind(self);

type RunStart = Extract<FrameToWorker, { type: 'run/start' }>;
type CellFunction = (exportResults: (namespace: object) => void) => Promise<void>;
type SandboxScope = DedicatedWorkerGlobalScope & {
  tf?: typeof TF;
  __courseModules__?: Record<string, unknown>;
  [CELL_GLOBAL]?: CellFunction;
};

const scope = self as unknown as SandboxScope;
const v = PROTOCOL_VERSION;
let post: (message: SandboxToHost) => void = () => {};
let ready: ReturnType<typeof init> | undefined;

scope.onmessage = (event: MessageEvent<FrameToWorker>) => {
  const message = event.data;
  const port = event.ports[0];
  if (message?.type !== 'worker/init' || !port) return;
  scope.onmessage = null;
  const postMessage = port.postMessage.bind(port);
  post = (m) => postMessage(m);
  port.onmessage = (e: MessageEvent<FrameToWorker>) => onFrameMessage(e.data);
  ready = init(message.assets, message.data, isSandboxBackend(message.backend) ? message.backend : undefined);
  ready.then(
    ({ backend, reason }) => post({ type: 'sandbox/ready', v, backend, reason }),
    (error: unknown) => {
      const thrown = describeThrown(error);
      post({ type: 'sandbox/fatal', v, message: `TensorFlow.js could not start in the sandbox: ${thrown.isError ? `${thrown.name}: ${thrown.message}` : String(error)}` });
    },
  );
};

async function init(assets: SandboxAssets, data: SandboxData, requested: SandboxBackend | undefined) {
  // Before tf.min.js loads, which picks its scheduler once, at load time (see createFrameScheduler).
  scope.requestAnimationFrame = frames.requestFrame;
  scope.cancelAnimationFrame = frames.cancelFrame;
  post({ type: 'sandbox/progress', v, phase: 'loading-tfjs' });
  loadScript(assets.tfjsScriptUrl);
  const tf = scope.tf;
  if (!tf) throw new Error('tf.min.js loaded but defined no `tf`');
  registerFastCpuKernels(tf);
  registerTypedCpuCast(tf);
  post({ type: 'sandbox/progress', v, phase: 'starting-backend' });
  const wasm = await prepareWasmBackend(tf, () => loadScript(assets.tfjsWasmScriptUrl), data.wasm);
  const { backend: chosen, reason, webgl } = await chooseBackend(tf, { requested, wasm });
  await tf.ready();
  // Deserialize the backbone and run it once now, so its shaders are compiled before the first run.
  let warmBackbone: TF.LayersModel | undefined;
  if (!('error' in data.model)) {
    post({ type: 'sandbox/progress', v, phase: 'loading-model' });
    warmBackbone = await deserializeBackbone(tf, data.model);
    const inputShape = warmBackbone.inputs[0]!.shape.map((d) => d ?? 1);
    tf.tidy(() => (warmBackbone!.predict(tf.zeros(inputShape)) as TF.Tensor).dataSync());
  } else {
    tf.tidy(() => tf.ones([2, 2]).matMul(tf.ones([2, 2])).dataSync());
  }
  const memory = tf.memory;
  const engine = tf.engine();
  const stats = (): TensorStats => {
    const m = memory();
    return { count: m.numTensors, bytes: m.numBytes };
  };
  const variableCount = () => Object.keys(engine.state.registeredVariables).length;
  return { tf, backend: chosen, reason, wasm, webgl, tensorReader: tensorReaderFor(tf), stats, variableCount, data, warmBackbone };
}

/** Set by a graceful Stop: every fit of this run ends after its current batch. */
let stopRequested = false;

/** Reads tensors through methods captured now, before student code can replace them. */
function tensorReaderFor(tf: typeof TF): TensorReader {
  const proto = tf.Tensor.prototype;
  const dataSync = proto.dataSync;
  const isDisposed = ObjectGetOwnPropertyDescriptor(proto, 'isDisposed')?.get;
  // Reading values runs tfjs code, which a cell may have broken (Array.prototype.push, say): the
  // preview then shows dtype and shape without values rather than nothing.
  const readValues = (t: TF.Tensor): ArrayLike<unknown> | undefined => {
    try {
      return ReflectApply(dataSync, t, []) as ArrayLike<unknown>;
    } catch {
      return undefined;
    }
  };
  return {
    proto,
    read(tensor) {
      const t = tensor as TF.Tensor;
      const disposed = isDisposed ? Boolean(ReflectApply(isDisposed, t, [])) : false;
      const shape = t.shape.slice();
      return {
        dtype: String(t.dtype),
        shape,
        size: t.size,
        disposed,
        values: disposed || t.size > 1_000_000 ? undefined : readValues(t),
      };
    },
  };
}

function onFrameMessage(message: FrameToWorker): void {
  if (message.type === 'run/start' && ready) {
    ready.then((sandbox) => run(message, sandbox));
  } else if (message.type === 'run/stop' && message.mode === 'graceful') {
    stopRequested = true;
  }
}

/** Runs one compiled cell, reporting output and errors, then reports completion once nothing is pending. */
async function run({ runId, code, drawings, check, savedModels }: RunStart, sandbox: Awaited<ReturnType<typeof init>>) {
  const { tf, backend, tensorReader, stats, variableCount } = sandbox;
  const started = PerformanceNow();
  const tensorsBefore = stats();
  const variablesBefore = variableCount();
  // Tensors the lesson module made (data, cached features): alive at the end is not the student's leak.
  const owned = new Set<TF.Tensor>();
  const preview = createPreviewer(tensorReader);
  const channel = new ConsoleChannel(preview, (entries, omitted) => post({ type: 'console/entries', v, runId, entries, omitted }));
  let failed = false;
  // A lost GPU context ends the run at once (tfjs cannot go on, and may wait forever for the GPU),
  // with one plain message in place of whatever tfjs throws next. The frame then ends this worker.
  let ended = false;
  const endLost = () => {
    if (ended) return;
    ended = failed = true;
    channel.flush();
    post({ type: 'run/error', v, runId, origin: 'top-level', error: CONTEXT_LOST });
    post({ type: 'run/done', v, runId, ok: false, durationMs: PerformanceNow() - started, tensorsBefore, tensorsAfter: orFallback(stats, tensorsBefore), leakedTensors: 0 });
  };
  const gpu = watchContextLoss(sandbox.webgl, endLost);
  const report = (error: unknown, origin: ErrorOrigin) => {
    if (gpu.lost()) return endLost();
    failed = true;
    channel.flush();
    post({ type: 'run/error', v, runId, origin, error: describeThrown(error, preview) });
  };

  installConsole(channel);
  const timers = trackTimers(scope as unknown as TimerScope, (error) => report(error, 'callback'), frames);
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    report(event.reason, 'unhandled-rejection');
  });
  scope.addEventListener('error', (event) => {
    event.preventDefault();
    report(event.error ?? event.message, 'callback');
  });
  let fits = 0;
  instrumentTraining(tf, {
    begin: (info) => {
      const fitId = ++fits;
      post({ type: 'train/begin', v, runId, fitId, label: `fit ${fitId} · ${info.label}`, epochs: info.epochs, batchesPerEpoch: info.batchesPerEpoch });
      return fitId;
    },
    batch: (fitId, epoch, batch, logs) => post({ type: 'train/batch', v, runId, fitId, epoch, batch, logs }),
    epoch: (fitId, epoch, logs) => post({ type: 'train/epoch', v, runId, fitId, epoch, logs }),
    end: (fitId, stopped) => post({ type: 'train/end', v, runId, fitId, stopped }),
    stopRequested: () => stopRequested,
  });
  const lesson = createLessonModule({
    tf,
    data: sandbox.data,
    drawings,
    savedModels,
    saveModel: (name, model) => post({ type: 'model/save', v, runId, name, model }),
    warmBackbone: sandbox.warmBackbone,
    inferenceBackend: sandbox.wasm.ok && sandbox.backend !== 'webgl' ? 'wasm' : undefined,
    show: (display) => {
      channel.flush(); // keep console lines and displays in the order they happened
      post({ type: 'display/show', v, runId, display });
    },
    own: (tensor) => owned.add(tensor),
  });
  scope.__courseModules__ = { '@tensorflow/tfjs': tf, lesson };
  explainUnavailableGlobals(scope);

  post({ type: 'run/started', v, runId, backend });
  if (backend === 'webgl' && gpu.lost()) return endLost(); // lost while this worker waited as the spare
  let exported: Record<string, unknown> = {};
  try {
    exported = await runCompiled(code);
  } catch (error) {
    report(error, 'top-level');
  }
  if (!failed) await timers.whenIdle();
  if (ended) return;
  // The browser reports a rejection nobody handled in a task it queues once the current task ends, so
  // a last line like `Promise.reject(undefined)` is only seen two tasks later: wait for them.
  for (let i = 0; i < 2; i++) await new PromiseCtor<void>((resolve) => SetTimeout(resolve, 0));
  channel.flush();
  const tensorsAfter = orFallback(stats, tensorsBefore);
  if (check !== undefined) {
    const problems = failed ? ['Your code stopped with an error before it could be checked: fix the error shown above and run again.'] : await runCheck(check, exported);
    channel.flush();
    post({ type: 'check/result', v, runId, passed: problems.length === 0, problems });
  }
  // The cell may have broken what this bookkeeping calls (Set.prototype.forEach, tf internals): the
  // run still ends, without a leak count.
  const leakedTensors = orFallback(() => {
    let ownedAlive = 0;
    owned.forEach((t) => {
      if (!t.isDisposed) ownedAlive++;
    });
    const leaked = tensorsAfter.count - tensorsBefore.count - (variableCount() - variablesBefore) - ownedAlive;
    return leaked > 0 ? leaked : 0;
  }, 0);
  post({ type: 'run/done', v, runId, ok: !failed, durationMs: PerformanceNow() - started, tensorsBefore, tensorsAfter, leakedTensors });
}

/** `read()`, or `fallback` when it throws or returns something that is not a count (or counts). */
function orFallback<T extends number | TensorStats>(read: () => T, fallback: T): T {
  const isCount = (n: unknown) => typeof n === 'number' && n >= 0 && n < Infinity;
  try {
    const value = read();
    return (typeof value === 'number' ? isCount(value) : isCount(value.count) && isCount(value.bytes)) ? value : fallback;
  } catch {
    return fallback;
  }
}

/** Loads a compiled cell (or check) script and runs it; resolves with its exports. */
async function runCompiled(code: string): Promise<Record<string, unknown>> {
  const url = URLCreateObjectURL(new BlobCtor([code], { type: 'text/javascript' }));
  try {
    loadScript(url);
  } finally {
    URLRevokeObjectURL(url);
  }
  const compiled = scope[CELL_GLOBAL];
  delete scope[CELL_GLOBAL];
  if (typeof compiled !== 'function') throw new Error('the compiled cell did not load');
  let exported: Record<string, unknown> = {};
  await compiled((namespace) => {
    exported = namespace as Record<string, unknown>;
  });
  return exported;
}

/**
 * Runs an exercise's check against what the cell exported. The check's default export returns the
 * problems it found, in words a student can act on; none means solved. A check that crashes is
 * reported as such, so a broken check never looks like a passed exercise.
 */
async function runCheck(check: string, exported: Record<string, unknown>): Promise<string[]> {
  try {
    const module = await runCompiled(check);
    const verdict = typeof module.default === 'function' ? await (module.default as (cell: Record<string, unknown>) => unknown)(exported) : undefined;
    if (verdict === undefined) return [];
    if (Array.isArray(verdict) && verdict.every((p) => typeof p === 'string')) return verdict.slice(0, 50).map((p: string) => StringSlice(p, 0, 2_000));
    return ['The exercise check returned something other than a list of problems; please report this lesson bug.'];
  } catch (error) {
    const thrown = describeThrown(error);
    return [`The check could not finish: ${thrown.isError ? `${thrown.name}: ${thrown.message}` : thrown.name}. Make sure your code exports what the exercise asks for.`];
  }
}

function installConsole(channel: ConsoleChannel): void {
  const target = globalThis.console;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    target[level] = (...args: unknown[]) => channel.log(level, args);
  }
  target.table = (data: unknown, columns?: unknown) => channel.table(data, columns);
}

/** Describes anything that was thrown, without calling code the student could have overridden. */
function describeThrown(value: unknown, preview?: (value: unknown) => Preview): Thrown {
  if (typeof value === 'object' && value !== null && inheritsFrom(value, DOMExceptionProto)) {
    const stack = ObjectGetOwnPropertyDescriptor(value, 'stack');
    return {
      name: DOMExceptionName(value as DOMException),
      message: StringSlice(DOMExceptionMessage(value as DOMException), 0, 20_000),
      stack: stack && typeof stack.value === 'string' ? stack.value : undefined,
      isError: true,
    };
  }
  if (typeof value === 'object' && value !== null && inheritsFrom(value, ErrorProto)) {
    const read = (key: string) => {
      try {
        const own = findDescriptor(value, key);
        // `stack` is an accessor (V8: on the error itself; Firefox: on Error.prototype); reading it is what the console does too.
        const v = own && 'value' in own ? own.value : own?.get ? ReflectApply(own.get, value, []) : undefined;
        return typeof v === 'string' ? StringSlice(v, 0, 20_000) : undefined;
      } catch {
        return undefined;
      }
    };
    return { name: read('name') ?? 'Error', message: read('message') ?? '', stack: read('stack'), isError: true };
  }
  const name = value === null ? 'null' : typeof value;
  return { name, message: typeof value === 'string' ? StringSlice(value, 0, 20_000) : '', isError: false, value: preview?.(value) };
}
