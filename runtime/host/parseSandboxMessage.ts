import * as z from 'zod/mini';
import {
  LIMITS,
  PROTOCOL_VERSION,
  type ConsoleEntry,
  type Preview,
  type SandboxToHost,
  type TensorStats,
  type Thrown,
} from '../protocol';

/*
 * Schemas for everything the sandbox may send, typed against the protocol's own types so the two
 * cannot drift apart. Only the host validates: the sandbox bundles never load zod.
 */

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

const sandboxToHost: z.ZodMiniType<SandboxToHost> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sandbox/ready'), v, backend: text(40) }),
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
  }),
  z.object({ type: z.literal('run/killed'), v, runId }),
]);

/**
 * Validates a message from the sandbox. Returns null for anything that is not a well-formed message of
 * this protocol version (wrong shape, wrong version, over a size cap); the caller drops it.
 */
export function parseSandboxMessage(data: unknown): SandboxToHost | null {
  const result = sandboxToHost.safeParse(data);
  return result.success ? result.data : null;
}
