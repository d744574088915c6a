import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** A stack frame after mapping: in main.ts (with 1-based line and column) or inside the runtime. */
export type MappedFrame = { kind: 'cell'; fn?: string; line: number; column: number } | { kind: 'internal'; fn?: string };

export interface MappedStack {
  frames: MappedFrame[];
  /** Where in main.ts the error happened: the innermost frame that maps to the cell. */
  location?: { line: number; column: number };
}

// V8 frame lines: "    at fn (url:line:col)", "    at url:line:col", "    at async fn (url:line:col)".
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * Maps a V8 stack from the sandbox back to main.ts. Frames in the compiled cell (a blob: script) are
 * translated with the cell's source map; frames in TensorFlow.js or the runtime become "internal".
 */
export function mapStack(stack: string | undefined, sourceMap: TraceMap | string): MappedStack {
  if (!stack) return { frames: [] };
  const map = typeof sourceMap === 'string' ? new TraceMap(sourceMap) : sourceMap;
  const frames: MappedFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const [, rawFn, url = '', lineText = '0', columnText = '0'] = match;
    const fn = rawFn?.replace(/^async /, '') || undefined;
    if (!url.startsWith('blob:')) {
      frames.push({ kind: 'internal', fn });
      continue;
    }
    const original = originalPositionFor(map, { line: Number(lineText), column: Number(columnText) - 1 });
    if (original.line === null || original.source === null || !original.source.endsWith('main.ts')) {
      frames.push({ kind: 'internal', fn });
      continue;
    }
    frames.push({ kind: 'cell', fn: fn === '__courseCell__' || fn === 'globalThis.__courseCell__' ? undefined : fn, line: original.line, column: original.column + 1 });
  }
  const first = frames.find((f): f is Extract<MappedFrame, { kind: 'cell' }> => f.kind === 'cell');
  return { frames, location: first ? { line: first.line, column: first.column } : undefined };
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
