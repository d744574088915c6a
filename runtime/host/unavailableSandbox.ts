import type { RunHandle, RunOptions, SandboxHost, SandboxStatus } from './SandboxHost';

/** What the page's code uses of its sandbox. */
export type PageSandboxHost = Pick<SandboxHost, 'getStatus' | 'subscribeStatus' | 'whenReady' | 'whenIdle' | 'run'>;

/**
 * The page's sandbox when there is none (its boot script did not run, say): its status says why,
 * and every run ends at once with that reason, so no click waits for a sandbox that never comes.
 */
export function unavailableSandbox(problem: string): PageSandboxHost {
  const status: SandboxStatus = { phase: 'failed', message: problem };
  return {
    getStatus: () => status,
    subscribeStatus: () => () => {},
    whenReady: () => Promise.reject(new Error(problem)),
    whenIdle: () => Promise.reject(new Error(problem)),
    run(_code: string, options: RunOptions): RunHandle {
      const runId = crypto.randomUUID();
      queueMicrotask(() => options.onEvent({ type: 'host/ended', runId, reason: 'crashed', detail: `The sandbox could not start: ${problem}` }));
      return { runId, stop: () => {} };
    },
  };
}
