/**
 * The sandbox frame: an iframe with `sandbox="allow-scripts"` only (an opaque origin, no storage, no
 * network by CSP). It starts its first worker at once, from the worker's script built into it, while
 * the page is still fetching TensorFlow.js; the page hands it the vendor scripts and the lesson's data
 * as bytes. It turns the scripts into blob: URLs once, keeps one warm worker as a spare, hands it the
 * next run, terminates workers on request, and relays their messages to the page. Student code never
 * runs here, only in the workers.
 */
import { buffersIn, copyForTransfer } from '../dataCopy';
import { isHostMessage, PROTOCOL_VERSION, type FrameToWorker, type HostToSandbox, type LessonData, type SandboxBackend, type SandboxToHost, type WasmBinaries } from '../protocol';
/** runtime/sandbox/worker.ts and gpuProbe.ts, bundled: put here by scripts/build-assets.mjs. */
declare const SANDBOX_WORKER_SCRIPT: string;
declare const SANDBOX_GPU_PROBE_SCRIPT: string;

interface Slot {
  worker: Worker;
  port: MessagePort;
  /** The MessagePort the worker answers on, until `worker/init` hands it over. */
  workerPort?: MessagePort;
  runId?: string;
}

interface Boot {
  scriptUrls: { tfjs: string; tfjsWasm: string };
  wasm: WasmBinaries;
  /** The backend the page asked for, if any (isHostMessage checked it is one the sandbox knows). */
  backend?: SandboxBackend;
}

const v = PROTOCOL_VERSION;
const host = window.parent;
let boot: Boot | undefined;
/** The master copy of the lesson's data; every worker gets its own copy. */
let data: LessonData | undefined;
let spare: Slot | undefined;
/** What the frame found of WebGL 2 (see probeGpu), once it looked. */
let gpu: { renderer: string | null } | undefined;
const running = new Map<string, Slot>();
/** Whether the page has heard that a worker is ready (a run taken before that makes its own worker ready). */
let readyReported = false;

const toHost = (message: SandboxToHost) => host.postMessage(message, '*');
/** Every worker the frame has: the spare and those running a cell. */
const slots = (): Slot[] => (spare ? [spare, ...running.values()] : [...running.values()]);
const scriptUrl = (script: string | ArrayBuffer) => URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
const workerUrl = scriptUrl(SANDBOX_WORKER_SCRIPT);

/** Starts a worker; it gets the vendor scripts (and so starts TensorFlow.js) once the page has sent them. */
function createSlot(): Slot {
  const worker = new Worker(workerUrl, { name: 'cell' });
  const channel = new MessageChannel();
  const slot: Slot = { worker, port: channel.port1, workerPort: channel.port2 };
  channel.port1.onmessage = (event: MessageEvent<SandboxToHost>) => onWorkerMessage(slot, event.data);
  worker.onerror = (event) => {
    // Only failures of the worker's own startup get here; the worker reports errors in cells itself.
    event.preventDefault();
    toHost({ type: 'sandbox/fatal', v, message: `The sandbox worker failed to start: ${event.message || 'script error'}` });
  };
  if (boot) initialise(slot, boot);
  return slot;
}

/** Hands a worker what it needs to start TensorFlow.js, then what the frame knows already (GPU, data). */
function initialise(slot: Slot, from: Boot): void {
  const port = slot.workerPort;
  if (!port) return;
  slot.workerPort = undefined;
  const { copy, transfer } = copyForTransfer(from.wasm);
  const init: FrameToWorker = { type: 'worker/init', v, scriptUrls: from.scriptUrls, wasm: copy, backend: from.backend };
  slot.worker.postMessage(init, [port, ...transfer]);
  if (gpu) sendGpu(slot, gpu.renderer);
  if (data) sendData(slot, data);
}

function sendGpu(slot: Slot, renderer: string | null): void {
  const message: FrameToWorker = { type: 'worker/gpu', v, renderer };
  slot.port.postMessage(message);
}

function sendData(slot: Slot, master: LessonData): void {
  const { copy, transfer } = copyForTransfer(master);
  const message: FrameToWorker = { type: 'worker/data', v, data: copy };
  slot.port.postMessage(message, transfer);
}

function onWorkerMessage(slot: Slot, message: SandboxToHost): void {
  switch (message.type) {
    case 'sandbox/ready':
    case 'sandbox/progress':
      // The spare speaks for the sandbox; so does the worker of a run clicked before any was ready.
      if (slot === spare || !readyReported) toHost(message);
      if (message.type === 'sandbox/ready') readyReported = true;
      return;
    case 'sandbox/fatal':
      toHost(message);
      return;
    case 'sandbox/pong':
      return;
    default:
      // A worker speaks only for the run it was given.
      if (message.runId !== slot.runId) return;
      toHost(message);
      if (message.type === 'run/done') retire(slot);
  }
}

function retire(slot: Slot): void {
  slot.worker.terminate();
  slot.port.close();
  if (slot.runId !== undefined) running.delete(slot.runId);
  ensureSpare();
}

function ensureSpare(): void {
  spare ??= createSlot();
}

function onHostMessage(message: HostToSandbox): void {
  switch (message.type) {
    case 'sandbox/init':
      if (boot) return;
      // The blob: URLs live as long as the frame: every worker it starts loads the same scripts.
      boot = {
        scriptUrls: { tfjs: scriptUrl(message.scripts.tfjs), tfjsWasm: scriptUrl(message.scripts.tfjsWasm) },
        wasm: message.wasm,
        backend: message.backend,
      };
      for (const slot of slots()) initialise(slot, boot);
      ensureSpare();
      return;
    case 'sandbox/data':
      if (data) return;
      data = message.data;
      // Workers started before the data came (the spare, and a run that did not wait) get it now.
      for (const slot of slots()) sendData(slot, data);
      return;
    case 'sandbox/ping':
      toHost({ type: 'sandbox/pong', v, id: message.id });
      return;
    case 'run/start': {
      if (running.has(message.runId)) return;
      const slot = spare ?? createSlot();
      spare = undefined;
      slot.runId = message.runId;
      running.set(message.runId, slot);
      // The frame got these buffers transferred from the page and hands them on: no copy.
      slot.port.postMessage(message, buffersIn(message));
      return;
    }
    case 'run/stop': {
      const slot = running.get(message.runId);
      if (slot && message.mode === 'graceful') {
        slot.port.postMessage(message);
        return;
      }
      if (slot) retire(slot);
      toHost({ type: 'run/killed', v, runId: message.runId });
      return;
    }
  }
}

// The first worker starts now; it waits for the page's scripts as the warm spare. Beside it, a worker
// finds out which GPU WebGL runs on, which the cell worker needs to know only once TensorFlow.js loaded.
ensureSpare();
probeGpuInWorker();

function probeGpuInWorker(): void {
  const url = scriptUrl(SANDBOX_GPU_PROBE_SCRIPT);
  const probe = new Worker(url, { name: 'gpu-probe' });
  const settle = (renderer: string | null) => {
    probe.terminate();
    URL.revokeObjectURL(url);
    if (gpu) return;
    gpu = { renderer };
    for (const slot of slots()) sendGpu(slot, renderer);
  };
  probe.onmessage = (event: MessageEvent<unknown>) => settle(typeof event.data === 'string' ? event.data : null);
  probe.onerror = (event) => {
    event.preventDefault();
    settle(null);
  };
}

window.addEventListener('message', (event) => {
  if (event.source !== host || !isHostMessage(event.data)) return;
  onHostMessage(event.data);
});
