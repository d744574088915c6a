import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import ErrorStackParser from 'error-stack-parser';

/** A stack frame after mapping: in main.ts (with 1-based line and column) or inside the runtime. */
export type MappedFrame = { kind: 'cell'; fn?: string; line: number; column: number } | { kind: 'internal'; fn?: string };

export interface MappedStack {
  frames: MappedFrame[];
  /** Where in main.ts the error happened: the innermost frame that maps to the cell. */
  location?: { line: number; column: number };
}

/**
 * Maps a stack from the sandbox back to main.ts. Frames in the compiled cell (a blob: script) are
 * translated with the cell's source map; frames in TensorFlow.js or the runtime become "internal".
 * error-stack-parser reads every engine's format: V8's `    at fn (url:line:col)`, and Firefox's and
 * Safari's `fn@url:line:col` (the sandbox runs in whichever browser the student has).
 */
export function mapStack(stack: string | undefined, sourceMap: TraceMap | string): MappedStack {
  if (!stack) return { frames: [] };
  const map = typeof sourceMap === 'string' ? new TraceMap(sourceMap) : sourceMap;
  const frames: MappedFrame[] = [];
  for (const frame of parseFrames(stack)) {
    const fn = cleanName(frame.functionName);
    const { fileName = '', lineNumber, columnNumber } = frame;
    if (!fileName.startsWith('blob:') || lineNumber === undefined || columnNumber === undefined) {
      frames.push({ kind: 'internal', fn });
      continue;
    }
    const original = originalPositionFor(map, { line: lineNumber, column: columnNumber - 1 });
    if (original.line === null || original.source === null || !original.source.endsWith('main.ts')) {
      frames.push({ kind: 'internal', fn });
      continue;
    }
    frames.push({ kind: 'cell', fn, line: original.line, column: original.column + 1 });
  }
  const first = frames.find((f): f is Extract<MappedFrame, { kind: 'cell' }> => f.kind === 'cell');
  return { frames, location: first ? { line: first.line, column: first.column } : undefined };
}

/** The frames of a stack in any engine's format; none for text that is no stack (a cell can set `stack`). */
function parseFrames(stack: string): ErrorStackParser.StackFrame[] {
  try {
    // The parser reads `stack` only; it wants an Error for its type.
    return ErrorStackParser.parse({ name: 'Error', message: '', stack });
  } catch {
    return [];
  }
}

/** Names that stand for main.ts's top level: the function the compiled cell is wrapped in, Safari's top-level frames. */
const TOP_LEVEL = new Set(['__courseCell__', 'globalThis.__courseCell__', 'global code', 'module code']);

/** A function name as a student wrote it: without the engines' markers of async frames (V8's `async fn`, Firefox's `async*fn`). */
function cleanName(name: string | undefined): string | undefined {
  const bare = name?.replace(/^async[*\s]/, '').trim();
  return !bare || TOP_LEVEL.has(bare) ? undefined : bare;
}

/** The stack as text a student reads: cell frames as main.ts:line:col, runs of internal frames folded. */
export function formatStack(frames: readonly MappedFrame[]): string[] {
  const lines: string[] = [];
  let internal = 0;
  const flush = () => {
    if (internal > 0) lines.push(`… ${internal} frame${internal === 1 ? '' : 's'} inside TensorFlow.js or the runtime`);
    internal = 0;
  };
  for (const frame of frames) {
    if (frame.kind === 'internal') {
      internal++;
      continue;
    }
    flush();
    lines.push(frame.fn ? `at ${frame.fn} (main.ts:${frame.line}:${frame.column})` : `at main.ts:${frame.line}:${frame.column}`);
  }
  if (lines.length > 0) flush();
  return lines;
}
