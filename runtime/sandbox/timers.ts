import type { FrameScheduler } from './frameScheduler';
import { ClearInterval, ClearTimeout, PromiseCtor, ReflectApply, SetInterval, SetTimeout } from './intrinsics';

type Callback = (...args: unknown[]) => unknown;

/**
 * Replaces the worker's timer functions with versions that know which timers are still pending, so a
 * run counts as finished only when its top-level code has settled and no timer can fire any more, and
 * so an exception inside a timer callback is reported instead of vanishing.
 */
export interface TimerScope {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  setInterval: typeof setInterval;
  clearInterval: typeof clearInterval;
}

export function trackTimers(scope: TimerScope, onCallbackError: (error: unknown) => void, frames?: FrameScheduler) {
  // Plain objects and counters rather than Set/Array methods, which student code may overwrite.
  const pending: Record<number, true> = Object.create(null) as Record<number, true>;
  let pendingCount = 0;
  const add = (id: unknown) => {
    pending[id as number] = true;
    pendingCount++;
  };
  const remove = (id: unknown): boolean => {
    if (typeof id !== 'number' || !pending[id]) return false;
    delete pending[id];
    pendingCount--;
    return true;
  };
  let idleWaiters: (() => void)[] = [];
  // Animation frames (which tf.nextFrame and training wait for) are pending work too. Their ids come
  // from another counter than the timers', so they are kept apart by sign.
  frames?.track({
    scheduled: (id) => add(-id),
    settled: (id) => {
      if (remove(-id)) settle();
    },
  });

  const settle = () => {
    if (pendingCount > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (let i = 0; i < waiters.length; i++) waiters[i]!();
  };
  const guarded = (callback: unknown, args: unknown[]) => () => {
    if (typeof callback !== 'function') return;
    try {
      ReflectApply(callback as Callback, undefined, args);
    } catch (error) {
      onCallbackError(error);
    }
  };

  scope.setTimeout = ((callback: unknown, delay?: number, ...args: unknown[]) => {
    let id: ReturnType<typeof setTimeout>;
    const run = guarded(callback, args);
    id = SetTimeout(() => {
      remove(id);
      try {
        run();
      } finally {
        settle();
      }
    }, delay);
    add(id);
    return id;
  }) as typeof setTimeout;
  scope.clearTimeout = ((id?: ReturnType<typeof setTimeout>) => {
    ClearTimeout(id);
    if (remove(id)) settle();
  }) as typeof clearTimeout;
  scope.setInterval = ((callback: unknown, delay?: number, ...args: unknown[]) => {
    const id = SetInterval(guarded(callback, args), delay);
    add(id);
    return id;
  }) as typeof setInterval;
  scope.clearInterval = ((id?: ReturnType<typeof setInterval>) => {
    ClearInterval(id);
    if (remove(id)) settle();
  }) as typeof clearInterval;

  return {
    get pendingCount() {
      return pendingCount;
    },
    /** Resolves once no timer or interval is pending. */
    whenIdle(): Promise<void> {
      return new PromiseCtor<void>((resolve) => {
        idleWaiters[idleWaiters.length] = resolve;
        settle();
      });
    },
  };
}
