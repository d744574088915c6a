/**
 * The one protocol between the lesson page (host) and the sandbox (an opaque-origin iframe that runs
 * student code in a Worker). Both sides import this file. Every message carries the protocol version;
 * every message about a run carries its `runId`. The host treats everything coming from the sandbox as
 * untrusted: it parses it with `parseSandboxMessage` (runtime/host/parseSandboxMessage.ts), which
 * enforces these shapes and the size caps in LIMITS.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The compiled cell is a classic script that assigns its code, an async function, to this global of
 * the sandbox worker; the worker takes it from there and runs it.
 */
export const CELL_GLOBAL = '__courseCell__';

/** Caps that both sides respect; the host enforces them again when parsing. */
export const LIMITS = {
  /** Characters of one string kept in a preview. */
  stringChars: 10_000,
  /** Items of an array, keys of an object, entries of a map shown in a preview. */
  collectionItems: 100,
  /** Nesting depth of a preview. */
  depth: 6,
  /** Console entries kept at the start of a run, and at its end, before lines are left out. */
  headEntries: 500,
  tailEntries: 500,
  /** Entries in one `console/entries` message. */
  entriesPerMessage: 1_000,
  /** Characters of an error message or stack. */
  errorChars: 20_000,
  /** Rows and columns of a console.table. */
  tableRows: 200,
  tableColumns: 30,
  /** Tensors larger than this show shape and dtype but no values (reading them can be slow on a GPU). */
  tensorValues: 1_000_000,
  /** Problems an exercise check may report, and characters of each. */
  checkProblems: 50,
  checkProblemChars: 2_000,
} as const;

/**
 * A console argument as data: what a student sees in the OUTPUT pane. Numbers travel as strings so
 * NaN, Infinity and -0 survive cloning.
 */
export type Preview =
  | { k: 'undefined' }
  | { k: 'null' }
  | { k: 'boolean'; v: boolean }
  | { k: 'number'; v: string }
  | { k: 'bigint'; v: string }
  /** `cut`: characters left out of a long string. */
  | { k: 'string'; v: string; cut?: number }
  | { k: 'symbol'; v: string }
  | { k: 'function'; name: string }
  /** Arrays and typed arrays; `items` holds at most LIMITS.collectionItems of `length`. */
  | { k: 'array'; name: string; length: number; items: Preview[] }
  /** `more`: enumerable keys left out. */
  | { k: 'object'; name: string; entries: [string, Preview][]; more: number }
  | { k: 'map'; size: number; entries: [Preview, Preview][] }
  | { k: 'set'; size: number; items: Preview[] }
  | { k: 'error'; name: string; message: string; stack?: string }
  | { k: 'date'; v: string }
  | { k: 'regexp'; v: string }
  /** `values`: nested arrays with the first items of each axis; absent for huge or disposed tensors. */
  | { k: 'tensor'; dtype: string; shape: number[]; size: number; values?: Preview; disposed?: boolean }
  /** A reference back to an object that contains it. */
  | { k: 'circular' }
  /** Nested deeper than LIMITS.depth. */
  | { k: 'deep' }
  /** An accessor property, not invoked. */
  | { k: 'getter' }
  /** Something that could not be read (e.g. a Proxy whose traps throw). */
  | { k: 'opaque'; v: string };

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  kind: 'log';
  level: ConsoleLevel;
  args: Preview[];
}

export interface TableEntry {
  kind: 'table';
  columns: string[];
  rows: { key: string; cells: (Preview | null)[] }[];
  /** Rows left out beyond LIMITS.tableRows. */
  more: number;
}

export type ConsoleEntry = LogEntry | TableEntry;

/** Where an error surfaced, so the pane can say "in a callback" rather than just "error". */
export type ErrorOrigin = 'top-level' | 'unhandled-rejection' | 'callback';

export interface Thrown {
  /** "Error", "TypeError", or for non-Error throws a description such as "null" or "string". */
  name: string;
  message: string;
  /** Raw stack as the sandbox saw it; the host maps it back to main.ts. */
  stack?: string;
  /** False when something that is not an Error was thrown (`throw null`, `throw 'text'`). */
  isError: boolean;
  /** What was thrown, when it was not an Error. */
  value?: Preview;
}

export interface TensorStats {
  count: number;
  bytes: number;
}

export type SandboxPhase = 'loading-tfjs' | 'starting-backend' | 'ready';

/** A metric value; non-finite values travel as text so a NaN loss is shown, not dropped. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';
export type Metrics = Record<string, MetricValue>;

/** One labelled tile of an image grid. */
export interface ImageCaption {
  label?: string;
  prediction?: string;
  /** Set when both label and prediction are known. */
  correct?: boolean;
}

export interface ChartSeries {
  name: string;
  points: [number, number][];
}

/** Rich output a cell asks for through the lesson module. */
export type Display =
  | {
      kind: 'images';
      title?: string;
      width: number;
      height: number;
      channels: 1 | 3 | 4;
      /** count * height * width * channels bytes, image after image. */
      pixels: Uint8Array;
      captions: ImageCaption[];
    }
  | { kind: 'confusion'; title?: string; classes: string[]; matrix: number[][] }
  | { kind: 'table'; title?: string; columns: string[]; rows: (string | number | null)[][] }
  /** A chart with the same `id` replaces the earlier one, so a cell can grow a chart as it measures. */
  | { kind: 'chart'; id: string; title: string; xLabel: string; yLabel: string; series: ChartSeries[] };

/**
 * A trained model as TensorFlow.js saves it: model.json (topology plus a weights manifest whose one
 * group points at `weightsPath`) and the weights, concatenated in manifest order.
 */
export interface SavedModel {
  json: string;
  weights: ArrayBuffer;
}

/** Names of saved models: what `lesson.saveModel` accepts, so they are safe as file names too. */
export const SAVED_MODEL_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

export type SandboxToHost =
  /** The frame has a warm worker ready to take a run. */
  | { type: 'sandbox/ready'; v: typeof PROTOCOL_VERSION; backend: string; reason: string }
  /** Progress while the sandbox warms up. */
  | { type: 'sandbox/progress'; v: typeof PROTOCOL_VERSION; phase: SandboxPhase }
  /** The sandbox cannot run code at all (e.g. TensorFlow.js failed to load). */
  | { type: 'sandbox/fatal'; v: typeof PROTOCOL_VERSION; message: string }
  /** Answer to `sandbox/ping`: the frame is alive. */
  | { type: 'sandbox/pong'; v: typeof PROTOCOL_VERSION; id: number }
  | { type: 'run/started'; v: typeof PROTOCOL_VERSION; runId: string; backend: string }
  /** Console output; `omitted` counts entries the sandbox left out since its previous message. */
  | { type: 'console/entries'; v: typeof PROTOCOL_VERSION; runId: string; entries: ConsoleEntry[]; omitted: number }
  | { type: 'run/error'; v: typeof PROTOCOL_VERSION; runId: string; origin: ErrorOrigin; error: Thrown }
  /** The top-level code settled and no timers are pending: nothing more will happen in this run. */
  | {
      type: 'run/done';
      v: typeof PROTOCOL_VERSION;
      runId: string;
      ok: boolean;
      durationMs: number;
      tensorsBefore: TensorStats;
      tensorsAfter: TensorStats;
      /** Tensors created by the cell and still alive, not counting model weights and lesson data. */
      leakedTensors: number;
    }
  /** The sandbox ended a run on the host's request (the worker was terminated). */
  | { type: 'run/killed'; v: typeof PROTOCOL_VERSION; runId: string }
  /** A `fit`/`fitDataset` call started; `fitId` numbers the calls of one run from 1. */
  | {
      type: 'train/begin';
      v: typeof PROTOCOL_VERSION;
      runId: string;
      fitId: number;
      label: string;
      epochs: number;
      /** Batches per epoch, when known in advance. */
      batchesPerEpoch?: number;
    }
  /** Latest batch of a fit (sent at most a few times a second). `epoch` and `batch` count from 0. */
  | { type: 'train/batch'; v: typeof PROTOCOL_VERSION; runId: string; fitId: number; epoch: number; batch: number; logs: Metrics }
  | { type: 'train/epoch'; v: typeof PROTOCOL_VERSION; runId: string; fitId: number; epoch: number; logs: Metrics }
  /** `stopped`: ended early by Stop (or by a callback setting model.stopTraining). */
  | { type: 'train/end'; v: typeof PROTOCOL_VERSION; runId: string; fitId: number; stopped: boolean }
  | { type: 'display/show'; v: typeof PROTOCOL_VERSION; runId: string; display: Display }
  /** An exercise's verdict: `problems` say specifically what is still wrong (none: passed). */
  | { type: 'check/result'; v: typeof PROTOCOL_VERSION; runId: string; passed: boolean; problems: string[] }
  /** `lesson.saveModel`: keep this model in the browser (later runs and pages load it) and offer it as a download. */
  | { type: 'model/save'; v: typeof PROTOCOL_VERSION; runId: string; name: string; model: SavedModel };

export type SandboxMessageType = SandboxToHost['type'];
export type RunMessage = Extract<SandboxToHost, { runId: string }>;

/**
 * The vendor scripts a sandbox's workers load, as the bytes the page fetched: the frame has an opaque
 * origin, so it could not use the site's HTTP cache, and fetching them itself would download them again
 * on every visit. (The frame's and the worker's own scripts are part of the page's boot script.)
 */
export interface SandboxScripts {
  /** tf.min.js */
  tfjs: ArrayBuffer;
  /** The TensorFlow.js WebAssembly backend's script (its .wasm binary comes separately). */
  tfjsWasm: ArrayBuffer;
}

/** A lesson's data set as the page fetched it: an image set, or a table (JSON) made from a CSV file. */
export interface DatasetBytes {
  kind: 'images' | 'table';
  bytes: ArrayBuffer;
}

/** An asset the page could not fetch: cells that ask for it get this reason instead. */
export interface Unavailable {
  error: string;
}

/**
 * The models and data sets the page's lesson declares, by the names cells use, as the page fetched
 * them (the sandbox cannot fetch anything itself). They arrive after the scripts, so a cell that needs
 * none of them can run before they are downloaded. The frame keeps this master copy and gives every
 * new worker its own copy.
 */
export interface LessonData {
  models: Record<string, SavedModel | Unavailable>;
  datasets: Record<string, DatasetBytes | Unavailable>;
}

/** The TensorFlow.js backends the sandbox loads; a page may ask for one (`?backend=webgl`, for tests and the curious). */
export const SANDBOX_BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type SandboxBackend = (typeof SANDBOX_BACKENDS)[number];
export const isSandboxBackend = (value: unknown): value is SandboxBackend => SANDBOX_BACKENDS.some((b) => b === value);

/** The WebAssembly backend's binaries by the file name TensorFlow.js asks for. */
export type WasmBinaries = Record<string, ArrayBuffer>;

/** Per-run inputs a cell reads through the lesson module, by name. */
export const RUN_INPUT = {
  /** The student's drawings from the lesson's drawing pad (image-set bytes): `lesson.loadDrawings()`. */
  drawings: 'drawings',
} as const;

export type HostToSandbox =
  /**
   * First message to a new frame: what it needs to start a worker. `backend`: the one the page asked
   * for, instead of the fastest the sandbox finds.
   */
  | { type: 'sandbox/init'; v: typeof PROTOCOL_VERSION; scripts: SandboxScripts; wasm: WasmBinaries; backend?: SandboxBackend }
  /** The lesson's models and data sets, once downloaded (sent once per frame, after init). */
  | { type: 'sandbox/data'; v: typeof PROTOCOL_VERSION; data: LessonData }
  | {
      type: 'run/start';
      v: typeof PROTOCOL_VERSION;
      runId: string;
      /** Compiled JavaScript: the body of `async function (exportResults)`. */
      code: string;
      /**
       * For exercises: the compiled check, run after the cell with the cell's exports. Its default
       * export returns the problems it found (an empty list means the exercise is solved).
       */
      check?: string;
      /** Per-run inputs by name (see RUN_INPUT), e.g. the student's drawings. */
      inputs: Record<string, ArrayBuffer>;
      /** Models this lesson saved earlier (`lesson.loadSavedModel`), by name. */
      savedModels: Record<string, SavedModel>;
    }
  /** `graceful` asks training to stop at the next batch; `kill` terminates the worker. */
  | { type: 'run/stop'; v: typeof PROTOCOL_VERSION; runId: string; mode: 'graceful' | 'kill' }
  /** Liveness check while runs are active; a crashed sandbox process never answers. */
  | { type: 'sandbox/ping'; v: typeof PROTOCOL_VERSION; id: number };

/**
 * Messages the frame's worker receives: `worker/init` by postMessage with the private MessagePort it
 * answers on, the rest through that port. Script URLs are blob: URLs the frame made of the page's bytes.
 */
export type FrameToWorker =
  | { type: 'worker/init'; v: typeof PROTOCOL_VERSION; scriptUrls: { tfjs: string; tfjsWasm: string }; wasm: WasmBinaries; backend?: SandboxBackend }
  /**
   * What the frame found of WebGL 2: the GPU's name, or null without it. The frame looks while the
   * worker loads TensorFlow.js, so that a worker makes a WebGL context only if it will use it (on a
   * software renderer it never does, unless a cell asks for WebGL).
   */
  | { type: 'worker/gpu'; v: typeof PROTOCOL_VERSION; renderer: string | null }
  | { type: 'worker/data'; v: typeof PROTOCOL_VERSION; data: LessonData }
  | Extract<HostToSandbox, { type: 'run/start' } | { type: 'run/stop' }>;

/** Validates a message from the host inside the frame (the frame trusts only its parent, but checks shape). */
export function isHostMessage(data: unknown): data is HostToSandbox {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { type?: unknown; v?: unknown; runId?: unknown };
  if (m.v !== PROTOCOL_VERSION) return false;
  switch (m.type) {
    case 'sandbox/init': {
      const { scripts, wasm, backend } = data as { scripts?: Partial<Record<keyof SandboxScripts, unknown>>; wasm?: unknown; backend?: unknown };
      return (backend === undefined || isSandboxBackend(backend)) && scripts?.tfjs instanceof ArrayBuffer && scripts.tfjsWasm instanceof ArrayBuffer && isRecordOf(wasm, (bytes) => bytes instanceof ArrayBuffer);
    }
    case 'sandbox/data': {
      const lesson = (data as { data?: Partial<Record<keyof LessonData, unknown>> }).data;
      return (
        isRecordOf(lesson?.models, (model) => isUnavailable(model) || (isRecord(model) && typeof model.json === 'string' && model.weights instanceof ArrayBuffer)) &&
        isRecordOf(lesson?.datasets, (set) => isUnavailable(set) || (isRecord(set) && (set.kind === 'images' || set.kind === 'table') && set.bytes instanceof ArrayBuffer))
      );
    }
    case 'sandbox/ping':
      return typeof (data as { id?: unknown }).id === 'number';
    case 'run/start': {
      const run = data as { code?: unknown; check?: unknown; inputs?: unknown; savedModels?: unknown };
      return (
        typeof m.runId === 'string' &&
        typeof run.code === 'string' &&
        (run.check === undefined || typeof run.check === 'string') &&
        isRecordOf(run.inputs, (bytes) => bytes instanceof ArrayBuffer) &&
        isRecordOf(run.savedModels, (model) => isRecord(model) && typeof model.json === 'string' && model.weights instanceof ArrayBuffer)
      );
    }
    case 'run/stop':
      return typeof m.runId === 'string';
    default:
      return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecordOf(value: unknown, item: (value: unknown) => boolean): boolean {
  return isRecord(value) && Object.values(value).every(item);
}

function isUnavailable(value: unknown): value is Unavailable {
  return isRecord(value) && typeof value.error === 'string';
}
