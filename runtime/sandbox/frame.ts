/**
 * The sandbox frame: an iframe with `sandbox="allow-scripts"` only (an opaque origin, no storage, no
 * network by CSP). The page hands it the scripts as text and the lesson's data as bytes; it turns the
 * scripts into blob: URLs once, keeps one warm worker as a spare, hands it the next run, terminates
 * workers on request, and relays their messages to the page. Student code never runs here, only in
 * the workers.
 */
import { buffersIn, copyForTransfer } from '../dataCopy';
import { isHostMessage, PROTOCOL_VERSION, type FrameToWorker, type HostToSandbox, type LessonData, type SandboxBackend, type SandboxToHost, type WasmBinaries } from '../protocol';

interface Slot {
  worker: Worker;
  port: MessagePort;
  runId?: string;
}

interface Boot {
  workerUrl: string;
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
const running = new Map<string, Slot>();
/** Whether the page has heard that a worker is ready (a run taken before that makes its own worker ready). */
let readyReported = false;

const toHost = (message: SandboxToHost) => host.postMessage(message, '*');
const scriptUrl = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));

function createSlot(from: Boot): Slot {
  const worker = new Worker(from.workerUrl, { name: 'cell' });
  const channel = new MessageChannel();
  const slot: Slot = { worker, port: channel.port1 };
  channel.port1.onmessage = (event: MessageEvent<SandboxToHost>) => onWorkerMessage(slot, event.data);
  worker.onerror = (event) => {
    // Only failures of the worker's own startup get here; the worker reports errors in cells itself.
    event.preventDefault();
    toHost({ type: 'sandbox/fatal', v, message: `The sandbox worker failed to start: ${event.message || 'script error'}` });
  };
  const { copy, transfer } = copyForTransfer(from.wasm);
  const init: FrameToWorker = { type: 'worker/init', v, scriptUrls: from.scriptUrls, wasm: copy, backend: from.backend };
  worker.postMessage(init, [channel.port2, ...transfer]);
  if (data) sendData(slot, data);
  return slot;
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
  if (!spare && boot) spare = createSlot(boot);
}

function onHostMessage(message: HostToSandbox): void {
  switch (message.type) {
    case 'sandbox/init':
      // The blob: URLs live as long as the frame: every worker it starts loads the same scripts.
      boot ??= {
        workerUrl: scriptUrl(message.scripts.worker),
        scriptUrls: { tfjs: scriptUrl(message.scripts.tfjs), tfjsWasm: scriptUrl(message.scripts.tfjsWasm) },
        wasm: message.wasm,
        backend: message.backend,
      };
      ensureSpare();
      return;
    case 'sandbox/data':
      if (data) return;
      data = message.data;
      // Workers started before the data came (the spare, and a run that did not wait) get it now.
      for (const slot of [spare, ...running.values()]) if (slot) sendData(slot, data);
      return;
    case 'sandbox/ping':
      toHost({ type: 'sandbox/pong', v, id: message.id });
      return;
    case 'run/start': {
      if (!boot || running.has(message.runId)) return;
      const slot = spare ?? createSlot(boot);
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

window.addEventListener('message', (event) => {
  if (event.source !== host || !isHostMessage(event.data)) return;
  onHostMessage(event.data);
});
