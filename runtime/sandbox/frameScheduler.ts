import { PerformanceNow } from './intrinsics';

/** Told when a frame callback is scheduled and when it has run or was cancelled (pending work). */
export interface FrameTracker {
  scheduled(id: number): void;
  settled(id: number): void;
}

/**
 * A stand-in for requestAnimationFrame inside the sandbox worker. The sandbox iframe is never painted,
 * so real animation frames may never come, yet TensorFlow.js waits for one between training batches
 * (tf.nextFrame, fit's yieldEvery). This runs the callback as the next macrotask through a
 * MessageChannel, which, unlike setTimeout(0), is not clamped to 4 ms: hundreds of batches do not
 * add seconds of idle waiting.
 */
export function createFrameScheduler() {
  const channel = new MessageChannel();
  // A plain object, not a Map: student code may replace Map's methods, and training relies on this.
  const queue: Record<number, FrameRequestCallback> = Object.create(null) as Record<number, FrameRequestCallback>;
  let nextId = 1;
  let tracker: FrameTracker | null = null;
  channel.port1.onmessage = (event: MessageEvent<number>) => {
    const id = event.data;
    const callback = queue[id];
    if (!callback) return;
    delete queue[id];
    try {
      callback(PerformanceNow());
    } finally {
      tracker?.settled(id);
    }
  };
  return {
    requestFrame(callback: FrameRequestCallback): number {
      const id = nextId++;
      queue[id] = callback;
      tracker?.scheduled(id);
      channel.port2.postMessage(id);
      return id;
    },
    cancelFrame(id: number): void {
      if (!queue[id]) return;
      delete queue[id];
      tracker?.settled(id);
    },
    /** Pending frames count as pending work of the current run (see trackTimers). */
    track(next: FrameTracker | null): void {
      tracker = next;
    },
  };
}

export type FrameScheduler = ReturnType<typeof createFrameScheduler>;
