/// <reference lib="webworker" />
/**
 * The frame's GPU probe worker: says once which GPU WebGL 2 runs on in a worker (or null), and is
 * done. It runs beside the cell worker, which waits for the answer only after loading TensorFlow.js.
 */
import { probeGpu } from './gpu';

(self as unknown as DedicatedWorkerGlobalScope).postMessage(probeGpu());
