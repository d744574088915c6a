/// <reference lib="webworker" />
/**
 * The sandbox worker: loads TensorFlow.js once while it waits as the warm spare, then runs exactly one
 * cell and is thrown away. Everything it sends goes through a private MessagePort given by the frame,
 * so student code (which shares this global scope) cannot forge messages on that channel.
 */
import type * as TF from '@tensorflow/tfjs';
import { CELL_GLOBAL, PROTOCOL_VERSION, type ErrorOrigin, type FrameToWorker, type Preview, type SandboxToHost, type TensorStats, type Thrown } from '../protocol';
import { ConsoleChannel } from './consoleChannel';
import {
  BlobCtor,
  ErrorProto,
  inheritsFrom,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  PerformanceNow,
  ReflectApply,
  StringSlice,
  URLCreateObjectURL,
  URLRevokeObjectURL,
} from './intrinsics';
import { createPreviewer, type TensorReader } from './preview';
import { trackTimers, type TimerScope } from './timers';

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
  ready = init(message.tfjsScriptUrl);
  ready.then(
    ({ backend }) => post({ type: 'sandbox/ready', v, backend }),
    (error: unknown) => post({ type: 'sandbox/fatal', v, message: `TensorFlow.js could not start in the sandbox: ${describeThrown(error).message}` }),
  );
};

async function init(tfjsScriptUrl: string) {
  post({ type: 'sandbox/progress', v, phase: 'loading-tfjs' });
  importScripts(tfjsScriptUrl);
  const tf = scope.tf;
  if (!tf) throw new Error('tf.min.js loaded but defined no `tf`');
  post({ type: 'sandbox/progress', v, phase: 'starting-backend' });
  let backend = 'cpu';
  try {
    if (await tf.setBackend('webgl')) backend = 'webgl';
  } catch {
    // No WebGL in this worker: fall back to the CPU backend below.
  }
  if (backend !== 'webgl') await tf.setBackend('cpu');
  await tf.ready();
  // Compile a first shader now, so the first run does not pay for it.
  tf.tidy(() => tf.ones([2, 2]).matMul(tf.ones([2, 2])).dataSync());
  const memory = tf.memory;
  const stats = (): TensorStats => {
    const m = memory();
    return { count: m.numTensors, bytes: m.numBytes };
  };
  return { tf, backend: tf.getBackend(), tensorReader: tensorReaderFor(tf), stats };
}

/** Reads tensors through methods captured now, before student code can replace them. */
function tensorReaderFor(tf: typeof TF): TensorReader {
  const proto = tf.Tensor.prototype;
  const dataSync = proto.dataSync;
  const isDisposed = ObjectGetOwnPropertyDescriptor(proto, 'isDisposed')?.get;
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
        values: disposed || t.size > 1_000_000 ? undefined : (ReflectApply(dataSync, t, []) as ArrayLike<unknown>),
      };
    },
  };
}

function onFrameMessage(message: FrameToWorker): void {
  if (message.type === 'run/start' && ready) {
    const { runId, code } = message;
    ready.then((sandbox) => run(runId, code, sandbox));
  }
}

/** Runs one compiled cell, reporting output and errors, then reports completion once nothing is pending. */
async function run(runId: string, code: string, { tf, backend, tensorReader, stats }: Awaited<ReturnType<typeof init>>) {
  const started = PerformanceNow();
  const tensorsBefore = stats();
  const preview = createPreviewer(tensorReader);
  const channel = new ConsoleChannel(preview, (entries, omitted) => post({ type: 'console/entries', v, runId, entries, omitted }));
  let failed = false;
  const report = (error: unknown, origin: ErrorOrigin) => {
    failed = true;
    channel.flush();
    post({ type: 'run/error', v, runId, origin, error: describeThrown(error, preview) });
  };

  installConsole(channel);
  const timers = trackTimers(scope as unknown as TimerScope, (error) => report(error, 'callback'));
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    report(event.reason, 'unhandled-rejection');
  });
  scope.addEventListener('error', (event) => {
    event.preventDefault();
    report(event.error ?? event.message, 'callback');
  });
  scope.__courseModules__ = { '@tensorflow/tfjs': tf };
  // Nested workers would outlive nothing (they die with this one) but are no use to a cell either.
  delete (scope as { Worker?: unknown }).Worker;

  post({ type: 'run/started', v, runId, backend });
  const url = URLCreateObjectURL(new BlobCtor([code], { type: 'text/javascript' }));
  try {
    importScripts(url);
    const cell = scope[CELL_GLOBAL];
    delete scope[CELL_GLOBAL];
    if (typeof cell !== 'function') throw new Error('the compiled cell did not load');
    await cell(() => {});
  } catch (error) {
    report(error, 'top-level');
  } finally {
    URLRevokeObjectURL(url);
  }
  if (!failed) await timers.whenIdle();
  channel.flush();
  post({ type: 'run/done', v, runId, ok: !failed, durationMs: PerformanceNow() - started, tensorsBefore, tensorsAfter: stats() });
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
  if (typeof value === 'object' && value !== null && inheritsFrom(value, ErrorProto)) {
    const read = (key: string) => {
      try {
        const own = ObjectGetOwnPropertyDescriptor(value, key) ?? ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(value) as object, key);
        const v = own && 'value' in own ? own.value : undefined;
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
