import { PROTOCOL_VERSION, type HostToSandbox, type LessonData, type RunMessage, type SandboxBackend, type SandboxPhase, type SandboxToHost, type SavedModel } from '../protocol';
import { FrameTransport } from './frameTransport';
import { buffersIn, copyForTransfer } from '../dataCopy';
import { lessonBytes, loadLessonData, loadSandboxBoot, type SandboxBoot, type SandboxSources } from './sandboxData';

/** How far the download of the lesson's models and data sets is. */
export interface AssetProgress {
  loadedBytes: number;
  totalBytes: number;
  done: boolean;
}

export type SandboxStatus =
  | { phase: 'idle' }
  /** `downloading`: the sandbox's scripts; then TensorFlow.js starting in the sandbox. */
  | { phase: 'loading'; step: SandboxPhase | 'downloading'; assets: AssetProgress }
  /**
   * Runs can start. `reason`: why this backend (e.g. WebGL is emulated in software, so the CPU is
   * faster). The lesson's models and data may still be downloading: a run that asks for them waits.
   */
  | { phase: 'ready'; backend: string; reason: string; assets: AssetProgress }
  | { phase: 'failed'; message: string };

/** Why the host ended a run itself (the sandbox never reported completion). */
export type HostEndReason = 'stopped' | 'timeout' | 'crashed';

/** What a run's owner hears: the sandbox's messages for that run, plus the host's own verdicts. */
export type RunEvent = RunMessage | { type: 'host/ended'; runId: string; reason: HostEndReason; detail: string };

export interface RunHandle {
  readonly runId: string;
  /** `graceful` asks training to stop at the next batch; `kill` ends the run now. */
  stop(mode: 'graceful' | 'kill'): void;
}

export interface RunOptions {
  /** The run is killed after this long; the student is told why. */
  timeBudgetMs: number;
  onEvent(event: RunEvent): void;
}

/** What the host needs from a transport; FrameTransport in the browser, a fake in tests. */
export interface Transport {
  whenLoaded(): Promise<void>;
  send(message: HostToSandbox, transfer?: Transferable[]): void;
  subscribe(listener: (message: SandboxToHost) => void): () => void;
  destroy(): void;
}

export interface SandboxHostOptions {
  createTransport?: (frameScript: string) => Transport;
  loadBoot?: () => Promise<SandboxBoot>;
  /** A backend to use instead of the fastest one the sandbox finds (the page's `?backend=`). */
  backend?: SandboxBackend;
  loadData?: (onProgress: (loadedBytes: number) => void) => Promise<LessonData>;
}

interface ActiveRun {
  options: RunOptions;
  budgetTimer: ReturnType<typeof setTimeout>;
  ended: boolean;
}

/** How long the frame gets to confirm a kill before the host removes the whole iframe. */
const KILL_GRACE_MS = 400;
const PING_INTERVAL_MS = 2_000;
// Generous: a frame relaying a console flood on a busy 2-core machine can answer late without being dead.
const PING_TIMEOUT_MS = 10_000;

/**
 * Owns the page's sandbox: boots the iframe, keeps it warm, starts runs in it, and guarantees that a
 * run ends: on Stop (worker terminated, or the iframe removed when the frame does not confirm in
 * time), on its time budget, or when the sandbox process dies (no answer to pings).
 */
export class SandboxHost {
  private transport: Transport | undefined;
  private status: SandboxStatus = { phase: 'idle' };
  private readonly statusListeners = new Set<(status: SandboxStatus) => void>();
  private readonly runs = new Map<string, ActiveRun>();
  /** Runs the host killed whose end the frame has not confirmed yet. */
  private readonly pendingKills = new Set<string>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingId = 0;
  private lastPong = 0;
  /**
   * The workers' scripts and the lesson's models and data, until they are handed to a frame. They are
   * transferred, not copied: a copy of their 3 MB on the page's main thread is time the first run
   * waits for (35–65 ms in CPU profiles of a cold load here). A sandbox started again later (after a
   * crash) fetches them again, from the HTTP cache or the service worker's.
   */
  private boot: Promise<SandboxBoot> | undefined;
  private data: Promise<LessonData> | undefined;
  private assets: AssetProgress;
  /** Callers of whenIdle() waiting for the runs in progress to end. */
  private readonly idleWaiters: (() => void)[] = [];
  /** Resolves once the current frame has been initialised; messages to it wait for this. */
  private initialised: Promise<void> = Promise.resolve();

  private readonly createTransport: (frameScript: string) => Transport;
  private readonly frameScript: string;
  private readonly loadBoot: () => Promise<SandboxBoot>;
  private readonly loadData: (onProgress: (loadedBytes: number) => void) => Promise<LessonData>;
  private readonly backend: SandboxBackend | undefined;

  constructor(sources: SandboxSources, options: SandboxHostOptions = {}) {
    this.createTransport = options.createTransport ?? ((frameScript) => new FrameTransport(frameScript));
    this.frameScript = sources.frameScript;
    this.loadBoot = options.loadBoot ?? (() => loadSandboxBoot(sources));
    this.loadData = options.loadData ?? ((onProgress) => loadLessonData(sources.lesson, onProgress));
    this.backend = options.backend;
    const totalBytes = lessonBytes(sources.lesson);
    this.assets = { loadedBytes: 0, totalBytes, done: totalBytes === 0 };
  }

  getStatus(): SandboxStatus {
    return this.status;
  }

  subscribeStatus(listener: (status: SandboxStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Boots the sandbox if it is not up yet: starts the frame at once, fetches the scripts its workers
   * need and the lesson's data, and hands the frame each when it has arrived (transferred: a restarted
   * sandbox fetches them again). Safe to call many times.
   */
  start(): void {
    if (this.transport) return;
    const boot = (this.boot ??= this.loadBoot());
    // A failed download is not kept: the next start (a reload of the sandbox) tries again.
    boot.catch((error: unknown) => {
      if (this.boot === boot) this.boot = undefined;
      this.setStatus({ phase: 'failed', message: `its scripts could not be downloaded (${error instanceof Error ? error.message : String(error)}). Check your connection and reload the page.` });
    });
    const transport = this.createTransport(this.frameScript);
    this.transport = transport;
    this.setStatus({ phase: 'loading', step: 'downloading', assets: this.assets });
    const data = (this.data ??= this.loadData((loadedBytes) => this.setAssets({ ...this.assets, loadedBytes })));
    data.then(() => this.setAssets({ ...this.assets, loadedBytes: Math.max(this.assets.loadedBytes, this.assets.totalBytes), done: true }));
    transport.subscribe((message) => this.onMessage(message));
    this.initialised = Promise.all([transport.whenLoaded(), boot]).then(([, { scripts, wasm }]) => {
      if (this.transport !== transport) return;
      if (this.boot === boot) this.boot = undefined;
      const handed = { scripts, wasm };
      transport.send({ type: 'sandbox/init', v: PROTOCOL_VERSION, ...handed, ...(this.backend ? { backend: this.backend } : {}) }, buffersIn(handed));
    });
    data.then((lessonData) => {
      if (this.transport !== transport) return;
      if (this.data === data) this.data = undefined;
      this.send({ type: 'sandbox/data', v: PROTOCOL_VERSION, data: lessonData }, buffersIn(lessonData));
    });
  }

  private setAssets(assets: AssetProgress): void {
    this.assets = assets;
    const status = this.status;
    if (status.phase === 'loading' || status.phase === 'ready') this.setStatus({ ...status, assets });
  }

  /** Sends to the current frame once it is initialised (messages keep their order). */
  private send(message: HostToSandbox, transfer?: Transferable[]): void {
    const transport = this.transport;
    this.initialised.then(() => {
      if (this.transport === transport) transport?.send(message, transfer);
    });
  }

  /** Resolves when a warm sandbox is ready, rejects if it failed to start. */
  whenReady(): Promise<void> {
    this.start();
    return new Promise((resolve, reject) => {
      const check = (status: SandboxStatus) => {
        if (status.phase === 'ready') resolve();
        else if (status.phase === 'failed') reject(new Error(status.message));
        else return false;
        return true;
      };
      if (check(this.status)) return;
      const unsubscribe = this.subscribeStatus((status) => {
        if (check(status)) unsubscribe();
      });
    });
  }

  /**
   * Resolves once the sandbox is ready and no run is in progress: the moment for background work
   * (the editor's code, the service worker's download of the course) that would slow a run down.
   */
  whenIdle(): Promise<void> {
    return this.whenReady().then(
      () =>
        new Promise<void>((resolve) => {
          if (this.runs.size === 0) resolve();
          else this.idleWaiters.push(resolve);
        }),
    );
  }

  run(code: string, options: RunOptions & { check?: string; inputs?: Record<string, ArrayBuffer>; savedModels?: Record<string, SavedModel> }): RunHandle {
    this.start();
    const runId = crypto.randomUUID();
    const budgetTimer = setTimeout(() => {
      const seconds = Math.round(options.timeBudgetMs / 1000);
      this.kill(runId, 'timeout', `Stopped: the cell ran longer than its time budget of ${seconds} s.`);
    }, options.timeBudgetMs);
    this.runs.set(runId, { options, budgetTimer, ended: false });
    // Copies, so the caller keeps its buffers: these are transferred to the sandbox.
    const { copy, transfer } = copyForTransfer({ inputs: options.inputs ?? {}, savedModels: options.savedModels ?? {} });
    this.send({ type: 'run/start', v: PROTOCOL_VERSION, runId, code, check: options.check, ...copy }, transfer);
    this.ensurePinging();
    return {
      runId,
      stop: (mode) => {
        if (mode === 'graceful') this.send({ type: 'run/stop', v: PROTOCOL_VERSION, runId, mode });
        else this.kill(runId, 'stopped', 'Stopped.');
      },
    };
  }

  /** Removes the sandbox; runs still active are reported as ended. */
  dispose(): void {
    this.endAll('crashed', 'The sandbox was closed.');
    this.transport?.destroy();
    this.transport = undefined;
    this.setStatus({ phase: 'idle' });
  }

  private onMessage(message: SandboxToHost): void {
    switch (message.type) {
      case 'sandbox/progress':
        if (this.status.phase !== 'ready') this.setStatus({ phase: 'loading', step: message.phase, assets: this.assets });
        return;
      case 'sandbox/ready':
        this.setStatus({ phase: 'ready', backend: message.backend, reason: message.reason, assets: this.assets });
        return;
      case 'sandbox/fatal':
        this.setStatus({ phase: 'failed', message: message.message });
        this.endAll('crashed', message.message);
        return;
      case 'sandbox/pong':
        this.lastPong = performance.now();
        return;
    }
    if (message.type === 'run/killed') this.pendingKills.delete(message.runId);
    const run = this.runs.get(message.runId);
    if (!run || run.ended) return; // a stale or unknown run id: drop it
    if (message.type === 'run/killed') {
      this.finish(message.runId, run);
      run.options.onEvent({ type: 'host/ended', runId: message.runId, reason: 'stopped', detail: 'Stopped.' });
      return;
    }
    if (message.type === 'run/done') this.finish(message.runId, run);
    run.options.onEvent(message);
  }

  private kill(runId: string, reason: HostEndReason, detail: string): void {
    const run = this.runs.get(runId);
    if (!run || run.ended) return;
    this.send({ type: 'run/stop', v: PROTOCOL_VERSION, runId, mode: 'kill' });
    // Whatever the frame does, the run is over for the student now.
    this.finish(runId, run);
    run.options.onEvent({ type: 'host/ended', runId, reason, detail });
    this.pendingKills.add(runId);
    setTimeout(() => {
      // The frame did not confirm in time: remove the iframe, which ends every worker in it.
      if (this.pendingKills.has(runId)) this.restart('The sandbox did not respond and was restarted.');
    }, KILL_GRACE_MS);
  }

  private finish(runId: string, run: ActiveRun): void {
    run.ended = true;
    clearTimeout(run.budgetTimer);
    this.runs.delete(runId);
    if (this.runs.size > 0) return;
    this.stopPinging();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private restart(detail: string): void {
    this.endAll('crashed', detail);
    this.transport?.destroy();
    this.transport = undefined;
    this.pendingKills.clear();
    this.start();
  }

  private endAll(reason: HostEndReason, detail: string): void {
    for (const [runId, run] of [...this.runs]) {
      this.finish(runId, run);
      run.options.onEvent({ type: 'host/ended', runId, reason, detail });
    }
  }

  private ensurePinging(): void {
    if (this.pingTimer !== undefined) return;
    this.lastPong = performance.now();
    this.pingTimer = setInterval(() => {
      if (performance.now() - this.lastPong > PING_TIMEOUT_MS) {
        this.restart('The sandbox crashed (its process stopped answering, often because it ran out of memory). Your code is safe in the editor.');
        return;
      }
      this.send({ type: 'sandbox/ping', v: PROTOCOL_VERSION, id: ++this.pingId });
    }, PING_INTERVAL_MS);
  }

  private stopPinging(): void {
    clearInterval(this.pingTimer);
    this.pingTimer = undefined;
  }

  private setStatus(status: SandboxStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

