import { ObjectDefineProperty } from './intrinsics';

export const NO_PAGE = 'Cells run in a sandboxed worker, apart from the lesson page: there is no page, window or DOM to reach. Show results with console.log or the lesson module\'s show… functions.';
const NO_NETWORK = 'Cells cannot reach the network: the sandbox blocks every request. The lesson module gives you the models and data of this lesson (lesson.loadModel(name), lesson.loadImages(name), lesson.loadTable(name)).';
const NO_STORAGE = 'Cells cannot store anything in the browser: each run starts clean and ends without a trace.';
const NO_DIALOGS = 'Cells cannot open dialogs or windows; use console.log to show something.';
const NO_SCRIPTS = 'Cells cannot load scripts; import "@tensorflow/tfjs" or "lesson" instead.';
const NO_WORKERS = 'A cell already runs in its own worker and cannot start more.';

/** Globals a student might reach for, and why the sandbox does not have them. */
// `window` and `document` are left alone: TensorFlow.js probes them with `typeof`, which would call a
// throwing getter. They are simply undefined in a worker; the page adds the explanation to the error.
const UNAVAILABLE: Record<string, string> = {
  parent: NO_PAGE,
  top: NO_PAGE,
  opener: NO_PAGE,
  frames: NO_PAGE,
  localStorage: NO_STORAGE,
  sessionStorage: NO_STORAGE,
  alert: NO_DIALOGS,
  confirm: NO_DIALOGS,
  prompt: NO_DIALOGS,
  open: NO_DIALOGS,
  fetch: NO_NETWORK,
  XMLHttpRequest: NO_NETWORK,
  WebSocket: NO_NETWORK,
  EventSource: NO_NETWORK,
  WebTransport: NO_NETWORK,
  importScripts: NO_SCRIPTS,
  Worker: NO_WORKERS,
  SharedWorker: NO_WORKERS,
};

/**
 * Replaces those globals with accessors that throw an explanation. This is for clarity, not safety:
 * the iframe's opaque origin and its Content-Security-Policy are what actually block the page, storage
 * and the network, even for code that digs out the original functions.
 */
export function explainUnavailableGlobals(scope: object): void {
  for (const [name, reason] of Object.entries(UNAVAILABLE)) {
    const fail = () => {
      throw new Error(`${name} is not available in a cell. ${reason}`);
    };
    try {
      ObjectDefineProperty(scope, name, { get: fail, set: fail, configurable: true });
    } catch {
      // A non-configurable global stays as it is; the sandbox still blocks what it would reach.
    }
  }
}
