/**
 * The sandbox frame: an iframe with `sandbox="allow-scripts"` only (an opaque origin, no storage, no
 * network by CSP). It keeps one warm worker as a spare, hands it the next run, terminates workers on
 * request, and relays their messages to the page. Student code never runs here, only in the workers.
 */
import { copySandboxData, runTransferables, transferablesOf } from '../dataCopy';
import { isHostMessage, PROTOCOL_VERSION, type FrameToWorker, type HostToSandbox, type SandboxAssets, type SandboxBackend, type SandboxData, type SandboxToHost } from '../protocol';

interface Slot {
  worker: Worker;
  port: MessagePort;
  runId?: string;
}

const v = PROTOCOL_VERSION;
const host = window.parent;
let assets: SandboxAssets | undefined;
/** The master copy of model and data; every worker gets its own copy. */
let data: SandboxData | undefined;
/** The backend the page asked for, if any (isHostMessage checked it is one the sandbox knows). */
let backend: SandboxBackend | undefined;
let spare: Slot | undefined;
const running = new Map<string, Slot>();

const toHost = (message: SandboxToHost) => host.postMessage(message, '*');

function createSlot(from: SandboxAssets, master: SandboxData): Slot {
  const bootstrap = `importScripts(${JSON.stringify(from.workerScriptUrl)});`;
  const url = URL.createObjectURL(new Blob([bootstrap], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'cell' });
  const channel = new MessageChannel();
  const slot: Slot = { worker, port: channel.port1 };
  channel.port1.onmessage = (event: MessageEvent<SandboxToHost>) => {
    if (event.data.type === 'sandbox/ready' || event.data.type === 'sandbox/fatal') URL.revokeObjectURL(url);
    onWorkerMessage(slot, event.data);
  };
  worker.onerror = (event) => {
    // Only failures of the worker's own startup get here; the worker reports errors in cells itself.
    event.preventDefault();
    URL.revokeObjectURL(url);
    toHost({ type: 'sandbox/fatal', v, message: `The sandbox worker failed to start: ${event.message || 'script error'}` });
  };
  const copy = copySandboxData(master);
  const init: FrameToWorker = { type: 'worker/init', v, assets: from, data: copy, backend };
  worker.postMessage(init, [channel.port2, ...transferablesOf(copy)]);
  return slot;
}

function onWorkerMessage(slot: Slot, message: SandboxToHost): void {
  switch (message.type) {
    case 'sandbox/ready':
    case 'sandbox/progress':
      if (slot === spare) toHost(message);
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
  if (!spare && assets && data) spare = createSlot(assets, data);
}

function onHostMessage(message: HostToSandbox): void {
  switch (message.type) {
    case 'sandbox/init':
      if (!assets) backend = message.backend;
      assets ??= message.assets;
      data ??= message.data;
      ensureSpare();
      return;
    case 'sandbox/ping':
      toHost({ type: 'sandbox/pong', v, id: message.id });
      return;
    case 'run/start': {
      if (!assets || !data || running.has(message.runId)) return;
      const slot = spare ?? createSlot(assets, data);
      spare = undefined;
      slot.runId = message.runId;
      running.set(message.runId, slot);
      slot.port.postMessage(message, runTransferables(message));
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
