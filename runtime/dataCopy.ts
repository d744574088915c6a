import type { SandboxData, SavedModel } from './protocol';

/**
 * A copy of the model and data to hand over (transfer) while keeping the original: the page keeps a
 * master copy for sandbox restarts, the frame one for each new worker.
 */
export function copySandboxData(data: SandboxData): SandboxData {
  return {
    model: 'error' in data.model ? data.model : { json: data.model.json, weights: data.model.weights.slice(0) },
    datasets: copyAll(data.datasets),
    wasm: copyAll(data.wasm),
  };
}

function copyAll(buffers: Record<string, ArrayBuffer>): Record<string, ArrayBuffer> {
  return Object.fromEntries(Object.entries(buffers).map(([name, buffer]) => [name, buffer.slice(0)]));
}

/** The buffers of `data`, to pass as the transfer list of postMessage. */
export function transferablesOf(data: SandboxData): ArrayBuffer[] {
  return ['error' in data.model ? [] : [data.model.weights], Object.values(data.datasets), Object.values(data.wasm)].flat();
}

/** The buffers a `run/start` message carries (drawings, saved models), to transfer rather than copy. */
export function runTransferables(message: { drawings?: ArrayBuffer; savedModels?: Record<string, SavedModel> }): ArrayBuffer[] {
  return [...(message.drawings ? [message.drawings] : []), ...Object.values(message.savedModels ?? {}).map((model) => model.weights)];
}
