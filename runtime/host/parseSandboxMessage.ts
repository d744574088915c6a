import * as z from 'zod/mini';
import {
  LIMITS,
  PROTOCOL_VERSION,
  SAVED_MODEL_NAME,
  type ConsoleEntry,
  type Display,
  type Metrics,
  type Preview,
  type SandboxToHost,
  type TensorStats,
  type Thrown,
} from '../protocol';

/*
 * Schemas for everything the sandbox may send, typed against the protocol's own types so the two
 * cannot drift apart. Only the host validates: the sandbox bundles never load zod.
 */

/**
 * Builds the schema on first use: the page's boot script carries this module, and building some sixty
 * schemas would hold up the start of the sandbox, which runs before the first message comes.
 */
function buildSchema(): z.ZodMiniType<SandboxToHost> {
  const text = (max: number) => z.string().check(z.maxLength(max));
  const count = z.number().check(z.int(), z.nonnegative());
  const runId = text(100);
  const v = z.literal(PROTOCOL_VERSION);
  const items = <T>(schema: z.ZodMiniType<T>) => z.array(schema).check(z.maxLength(LIMITS.collectionItems));

  const preview: z.ZodMiniType<Preview> = z.lazy(() =>
    z.discriminatedUnion('k', [
      z.object({ k: z.literal('undefined') }),
      z.object({ k: z.literal('null') }),
      z.object({ k: z.literal('boolean'), v: z.boolean() }),
      z.object({ k: z.literal('number'), v: text(40) }),
      z.object({ k: z.literal('bigint'), v: text(LIMITS.stringChars) }),
      z.object({ k: z.literal('string'), v: text(LIMITS.stringChars), cut: z.optional(count) }),
      z.object({ k: z.literal('symbol'), v: text(1000) }),
      z.object({ k: z.literal('function'), name: text(200) }),
      z.object({ k: z.literal('array'), name: text(100), length: count, items: items(preview) }),
      z.object({ k: z.literal('object'), name: text(200), entries: items(z.tuple([text(1000), preview])), more: count }),
      z.object({ k: z.literal('map'), size: count, entries: items(z.tuple([preview, preview])) }),
      z.object({ k: z.literal('set'), size: count, items: items(preview) }),
      z.object({ k: z.literal('error'), name: text(200), message: text(LIMITS.errorChars), stack: z.optional(text(LIMITS.errorChars)) }),
      z.object({ k: z.literal('date'), v: text(100) }),
      z.object({ k: z.literal('regexp'), v: text(1000) }),
      z.object({
        k: z.literal('tensor'),
        dtype: text(20),
        shape: z.array(count).check(z.maxLength(16)),
        size: count,
        values: z.optional(preview),
        disposed: z.optional(z.boolean()),
      }),
      z.object({ k: z.literal('circular') }),
      z.object({ k: z.literal('deep') }),
      z.object({ k: z.literal('getter') }),
      z.object({ k: z.literal('opaque'), v: text(200) }),
    ]),
  );

  const consoleEntry: z.ZodMiniType<ConsoleEntry> = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('log'), level: z.enum(['log', 'info', 'warn', 'error', 'debug']), args: items(preview) }),
    z.object({
      kind: z.literal('table'),
      columns: z.array(text(200)).check(z.maxLength(LIMITS.tableColumns)),
      rows: z.array(z.object({ key: text(200), cells: z.array(z.nullable(preview)).check(z.maxLength(LIMITS.tableColumns)) })).check(z.maxLength(LIMITS.tableRows)),
      more: count,
    }),
  ]);

  const thrown: z.ZodMiniType<Thrown> = z.object({
    name: text(200),
    message: text(LIMITS.errorChars),
    stack: z.optional(text(LIMITS.errorChars)),
    isError: z.boolean(),
    value: z.optional(preview),
  });

  const tensorStats: z.ZodMiniType<TensorStats> = z.object({ count, bytes: count });

  const metrics: z.ZodMiniType<Metrics> = z
    .record(text(100), z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]))
    .check(z.refine((m) => Object.keys(m).length <= 50));

  /** Pixels of an image grid: at most this many bytes (100 RGBA images of 64x64). */
  const MAX_IMAGE_BYTES = 100 * 64 * 64 * 4;
  const MAX_CLASSES = 100;
  const label = text(200);

  const display: z.ZodMiniType<Display> = z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('images'),
        title: z.optional(label),
        width: count.check(z.positive(), z.maximum(64)),
        height: count.check(z.positive(), z.maximum(64)),
        channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
        pixels: z.instanceof(Uint8Array).check(z.refine((p) => p.byteLength <= MAX_IMAGE_BYTES)),
        captions: z.array(z.object({ label: z.optional(label), prediction: z.optional(label), correct: z.optional(z.boolean()) })).check(z.maxLength(100)),
      }),
      z.object({
        kind: z.literal('confusion'),
        title: z.optional(label),
        classes: z.array(label).check(z.maxLength(MAX_CLASSES)),
        matrix: z.array(z.array(count).check(z.maxLength(MAX_CLASSES))).check(z.maxLength(MAX_CLASSES)),
      }),
      z.object({
        kind: z.literal('table'),
        title: z.optional(label),
        columns: z.array(label).check(z.maxLength(LIMITS.tableColumns)),
        rows: z.array(z.array(z.union([text(1000), z.number(), z.null()])).check(z.maxLength(LIMITS.tableColumns))).check(z.maxLength(LIMITS.tableRows)),
      }),
      z.object({
        kind: z.literal('chart'),
        id: label,
        title: label,
        xLabel: label,
        yLabel: label,
        series: z
          .array(z.object({ name: label, points: z.array(z.tuple([z.number(), z.number()])).check(z.maxLength(10_000)) }))
          .check(z.maxLength(20)),
      }),
    ])
    .check(
      z.refine((d) => d.kind !== 'images' || d.pixels.byteLength === d.captions.length * d.width * d.height * d.channels, 'pixels do not match the image count'),
    );

  const MAX_MODEL_JSON_CHARS = 4_000_000;
  const MAX_MODEL_WEIGHT_BYTES = 32 * 1024 * 1024;
  const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

  /** True when model.json is a LayersModel whose weights manifest accounts for exactly these bytes. */
  function weightsMatchManifest(model: { json: string; weights: ArrayBuffer }): boolean {
    try {
      const parsed = JSON.parse(model.json) as { modelTopology?: unknown; weightsManifest?: { weights?: { shape?: unknown; dtype?: unknown; quantization?: { dtype?: unknown } }[] }[] };
      if (typeof parsed.modelTopology !== 'object' || parsed.modelTopology === null || !Array.isArray(parsed.weightsManifest)) return false;
      let bytes = 0;
      for (const spec of parsed.weightsManifest.flatMap((group) => group.weights ?? [])) {
        if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) return false;
        const per = BYTES_PER_VALUE[String(spec.quantization?.dtype ?? spec.dtype)];
        if (per === undefined) return false;
        bytes += (spec.shape as number[]).reduce((a, b) => a * b, 1) * per;
      }
      return bytes === model.weights.byteLength;
    } catch {
      return false;
    }
  }

  const savedModel = z
    .object({
      json: text(MAX_MODEL_JSON_CHARS),
      weights: z.instanceof(ArrayBuffer).check(z.refine((w) => w.byteLength <= MAX_MODEL_WEIGHT_BYTES)),
    })
    .check(z.refine(weightsMatchManifest, 'model.json does not describe these weights'));

  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('sandbox/ready'), v, backend: text(40), reason: text(500) }),
    z.object({ type: z.literal('sandbox/progress'), v, phase: z.enum(['loading-tfjs', 'starting-backend', 'ready']) }),
    z.object({ type: z.literal('sandbox/fatal'), v, message: text(LIMITS.errorChars) }),
    z.object({ type: z.literal('sandbox/pong'), v, id: count }),
    z.object({ type: z.literal('run/started'), v, runId, backend: text(40) }),
    z.object({ type: z.literal('console/entries'), v, runId, entries: z.array(consoleEntry).check(z.maxLength(LIMITS.entriesPerMessage)), omitted: count }),
    z.object({ type: z.literal('run/error'), v, runId, origin: z.enum(['top-level', 'unhandled-rejection', 'callback']), error: thrown }),
    z.object({
      type: z.literal('run/done'),
      v,
      runId,
      ok: z.boolean(),
      durationMs: z.number().check(z.nonnegative()),
      tensorsBefore: tensorStats,
      tensorsAfter: tensorStats,
      leakedTensors: count,
    }),
    z.object({ type: z.literal('run/killed'), v, runId }),
    z.object({
      type: z.literal('train/begin'),
      v,
      runId,
      fitId: count,
      label,
      epochs: count,
      batchesPerEpoch: z.optional(count),
    }),
    z.object({ type: z.literal('train/batch'), v, runId, fitId: count, epoch: count, batch: count, logs: metrics }),
    z.object({ type: z.literal('train/epoch'), v, runId, fitId: count, epoch: count, logs: metrics }),
    z.object({ type: z.literal('train/end'), v, runId, fitId: count, stopped: z.boolean() }),
    z.object({ type: z.literal('display/show'), v, runId, display }),
    z.object({ type: z.literal('check/result'), v, runId, passed: z.boolean(), problems: z.array(text(2_000)).check(z.maxLength(50)) }),
    z.object({ type: z.literal('model/save'), v, runId, name: z.string().check(z.regex(SAVED_MODEL_NAME)), model: savedModel }),
  ]);
}

let sandboxToHost: z.ZodMiniType<SandboxToHost> | undefined;

/**
 * Validates a message from the sandbox. Returns null for anything that is not a well-formed message of
 * this protocol version (wrong shape, wrong version, over a size cap); the caller drops it.
 */
export function parseSandboxMessage(data: unknown): SandboxToHost | null {
  const result = (sandboxToHost ??= buildSchema()).safeParse(data);
  return result.success ? result.data : null;
}
