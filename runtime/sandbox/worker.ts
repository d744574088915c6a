/// <reference lib="webworker" />
/**
 * The sandbox worker: loads TensorFlow.js once while it waits as the warm spare, then runs exactly one
 * cell and is thrown away. Everything it sends goes through a private MessagePort given by the frame,
 * so student code (which shares this global scope) cannot forge messages on that channel.
 */
import type * as TF from '@tensorflow/tfjs';
import { CELL_GLOBAL, isSandboxBackend, LIMITS, type ErrorOrigin, type FrameToWorker, type LessonData, type Preview, type SandboxBackend, type SandboxToHost, type TensorStats, type Thrown, type WasmBinaries } from '../protocol';
import { chooseBackend, makeWebglContextOnDemand, prepareWasmBackend, sandboxWebgl } from './backends';
import { CONTEXT_LOST, watchContextLoss } from './contextLoss';
import { registerTypedCpuCast } from './cpuCast';
import { registerFastCpuKernels } from './fastCpuKernels';
import { createFrameScheduler } from './frameScheduler';
import { createRunEmitter, createSandboxEmitter } from './emitter';
import { createLessonModule, warmModels } from './lesson/lessonModule';
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
let post: (message: SandboxToHost) => void = () => {};
const sandbox = createSandboxEmitter((message) => post(message));
let ready: ReturnType<typeof init> | undefined;
/** The lesson's models and data sets: they come after init, once the page has downloaded them. */
let receiveData: (data: LessonData) => void = () => {};
const lessonData = new Promise<LessonData>((resolve) => (receiveData = resolve));
/**
 * The name of the GPU behind WebGL 2 in a worker (null: none), which the frame's probe finds while
 * this worker loads TensorFlow.js (`gpuKnown` once it has come).
 */
let gpuKnown: { renderer: string | null } | undefined;
let receiveGpu: (renderer: string | null) => void = () => {};
const gpuRenderer = new Promise<string | null>((resolve) => (receiveGpu = resolve)).then((renderer) => {
  gpuKnown = { renderer };
  return renderer;
});
/** Set once a run starts: from then on, nothing is warmed up behind the cell's back. */
let runStarted = false;

scope.onmessage = (event: MessageEvent<FrameToWorker>) => {
  const message = event.data;
  const port = event.ports[0];
  if (message?.type !== 'worker/init' || !port) return;
  scope.onmessage = null;
  const postMessage = port.postMessage.bind(port);
  post = (m) => postMessage(m);
  port.onmessage = (e: MessageEvent<FrameToWorker>) => onFrameMessage(e.data);
  const started = init(message.scriptUrls, message.wasm, isSandboxBackend(message.backend) ? message.backend : undefined);
  ready = started;
  started.then(
    (warm) => {
      sandbox.ready(warm.backend, warm.reason);
      // Ready on the fastest CPU backend before the probe answered: choose again when it does, unless
      // a run has taken this worker (it keeps its backend; the next worker knows the GPU from the start).
      if (warm.provisional) {
        void gpuRenderer.then((renderer) => {
          if (!runStarted) ready = chooseAgain(warm, renderer);
        });
      }
    },
    (error: unknown) => {
      const thrown = describeThrown(error);
      sandbox.fatal(`TensorFlow.js could not start in the sandbox: ${thrown.isError ? `${thrown.name}: ${thrown.message}` : String(error)}`);
    },
  );
};

async function init(scriptUrls: { tfjs: string; tfjsWasm: string }, wasmBinaries: WasmBinaries, requested: SandboxBackend | undefined) {
  // Before tf.min.js loads, which picks its scheduler once, at load time (see createFrameScheduler).
  scope.requestAnimationFrame = frames.requestFrame;
  scope.cancelAnimationFrame = frames.cancelFrame;
  sandbox.progress('loading-tfjs');
  loadScript(scriptUrls.tfjs);
  const tf = scope.tf;
  if (!tf) throw new Error('tf.min.js loaded but defined no `tf`');
  registerFastCpuKernels(tf);
  registerTypedCpuCast(tf);
  sandbox.progress('starting-backend');
  const wasm = await prepareWasmBackend(tf, () => loadScript(scriptUrls.tfjsWasm), wasmBinaries);
  const webgl = sandboxWebgl(tf);
  makeWebglContextOnDemand(tf, webgl);
  const { backend: chosen, reason, provisional } = await chooseBackend(tf, { requested, wasm, gpu: gpuKnown?.renderer, webgl });
  await tf.ready();
  tf.tidy(() => tf.ones([2, 2]).matMul(tf.ones([2, 2])).dataSync());
  // The lesson's models are deserialized and run once when they arrive, so that a run gets them with
  // their kernels warm; unless a run has started meanwhile, which then loads them when it asks.
  const warm = lessonData.then((data) => (runStarted ? new Map<string, TF.LayersModel>() : warmModels(tf, data.models)));
  const memory = tf.memory;
  const engine = tf.engine();
  const stats = (): TensorStats => {
    const m = memory();
    return { count: m.numTensors, bytes: m.numBytes };
  };
  const variableCount = () => Object.keys(engine.state.registeredVariables).length;
  return { tf, backend: chosen, reason, provisional, wasm, webgl, tensorReader: tensorReaderFor(tf), stats, variableCount, warm };
}

type WarmSandbox = Awaited<ReturnType<typeof init>>;

/** The backend chosen again once the frame's probe said which GPU WebGL runs on; the page hears it as a new ready. */
async function chooseAgain(warm: WarmSandbox, renderer: string | null): Promise<WarmSandbox> {
  const { backend, reason } = await chooseBackend(warm.tf, { wasm: warm.wasm, gpu: renderer, webgl: warm.webgl });
  sandbox.ready(backend, reason);
  return { ...warm, backend, reason, provisional: false };
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
        values: disposed || t.size > LIMITS.tensorValues ? undefined : readValues(t),
      };
    },
  };
}

function onFrameMessage(message: FrameToWorker): void {
  if (message.type === 'worker/data') {
    receiveData(message.data);
  } else if (message.type === 'worker/gpu') {
    receiveGpu(message.renderer);
  } else if (message.type === 'run/start' && ready) {
    runStarted = true;
    ready.then((sandbox) => run(message, sandbox));
  } else if (message.type === 'run/stop' && message.mode === 'graceful') {
    stopRequested = true;
  }
}

/** Runs one compiled cell, reporting output and errors, then reports completion once nothing is pending. */
async function run({ runId, code, inputs, check, savedModels }: RunStart, sandbox: WarmSandbox) {
  const { tf, backend, tensorReader, stats, variableCount } = sandbox;
  const emit = createRunEmitter(post, runId);
  const started = PerformanceNow();
  const tensorsBefore = stats();
  const variablesBefore = variableCount();
  // Tensors the lesson module made (data, cached features): alive at the end is not the student's leak.
  const owned = new Set<TF.Tensor>();
  const preview = createPreviewer(tensorReader);
  const channel = new ConsoleChannel(preview, emit.log);
  let failed = false;
  // A lost GPU context ends the run at once (tfjs cannot go on, and may wait forever for the GPU),
  // with one plain message in place of whatever tfjs throws next. The frame then ends this worker.
  let ended = false;
  const endLost = () => {
    if (ended) return;
    ended = failed = true;
    channel.flush();
    emit.error('top-level', CONTEXT_LOST);
    emit.done({ ok: false, durationMs: PerformanceNow() - started, tensorsBefore, tensorsAfter: orFallback(stats, tensorsBefore), leakedTensors: 0 });
  };
  const gpu = watchContextLoss(sandbox.webgl.current(), endLost);
  // A context made during the run (a cell switching to WebGL) is not watched, but is still checked here.
  const lost = () => gpu.lost() || sandbox.webgl.current()?.gl.isContextLost() === true;
  const report = (error: unknown, origin: ErrorOrigin) => {
    if (lost()) return endLost();
    failed = true;
    channel.flush();
    emit.error(origin, describeThrown(error, preview));
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
      emit.train.begin(fitId, `fit ${fitId} · ${info.label}`, info.epochs, info.batchesPerEpoch);
      return fitId;
    },
    batch: emit.train.batch,
    epoch: emit.train.epoch,
    end: emit.train.end,
    stopRequested: () => stopRequested,
  });
  const lesson = createLessonModule({
    tf,
    data: lessonData,
    inputs,
    savedModels,
    saveModel: emit.saveModel,
    warmModels: sandbox.warm,
    inferenceBackend: sandbox.wasm.ok && sandbox.backend !== 'webgl' ? 'wasm' : undefined,
    show: (display) => {
      channel.flush(); // keep console lines and displays in the order they happened
      emit.display(display);
    },
    own: (tensor) => owned.add(tensor),
  });
  scope.__courseModules__ = { '@tensorflow/tfjs': tf, lesson };
  explainUnavailableGlobals(scope);

  emit.started(backend);
  if (backend === 'webgl' && lost()) return endLost(); // lost while this worker waited as the spare
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
    emit.check(problems);
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
  emit.done({ ok: !failed, durationMs: PerformanceNow() - started, tensorsBefore, tensorsAfter, leakedTensors });
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
    if (Array.isArray(verdict) && verdict.every((p) => typeof p === 'string')) return verdict.slice(0, LIMITS.checkProblems).map((p: string) => StringSlice(p, 0, LIMITS.checkProblemChars));
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
      message: StringSlice(DOMExceptionMessage(value as DOMException), 0, LIMITS.errorChars),
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
        return typeof v === 'string' ? StringSlice(v, 0, LIMITS.errorChars) : undefined;
      } catch {
        return undefined;
      }
    };
    return { name: read('name') ?? 'Error', message: read('message') ?? '', stack: read('stack'), isError: true };
  }
  const name = value === null ? 'null' : typeof value;
  return { name, message: typeof value === 'string' ? StringSlice(value, 0, LIMITS.errorChars) : '', isError: false, value: preview?.(value) };
}
