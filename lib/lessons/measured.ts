import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Figures a lesson quotes from its own cells. They live in `measured.json` next to the lesson's MDX;
 * `<Measured name="..."/>` prints one, and the lesson tests (tests/e2e/lessons.test.ts) run the cells
 * and fail when a run no longer produces what the file says.
 */
export interface MeasuredFigure {
  /** The cell (by id) whose OUTPUT pane shows the figure. */
  cell: string;
  /** A regular expression over the pane's text; its first group is the number. */
  pattern: string;
  value: number;
  /** Text after the number when the prose prints it ("%", " KB"). */
  unit?: string;
  /** How far a run may land from `value` and still confirm it. */
  tolerance: number;
  /** Digits after the point when printed (default: as many as `value` has). */
  decimals?: number;
}

export interface MeasuredFile {
  /** Where and how the figures were measured, in words. */
  measuredOn: string;
  figures: Record<string, MeasuredFigure>;
}

export const MEASURED_FILE = 'measured.json';

/** The figures next to a lesson file; throws with the path when the file is malformed. */
export function readMeasured(lessonDir: string): MeasuredFile | null {
  const file = path.join(lessonDir, MEASURED_FILE);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<MeasuredFile>;
  if (typeof parsed.measuredOn !== 'string' || typeof parsed.figures !== 'object' || parsed.figures === null) {
    throw new Error(`${file}: needs "measuredOn" (text) and "figures" (an object)`);
  }
  for (const [name, f] of Object.entries(parsed.figures)) {
    const ok = typeof f.cell === 'string' && typeof f.pattern === 'string' && typeof f.value === 'number' && typeof f.tolerance === 'number';
    if (!ok) throw new Error(`${file}: figure "${name}" needs cell, pattern, value and tolerance`);
  }
  return parsed as MeasuredFile;
}

/** How the prose prints a figure: grouped thousands, the decimals the file gives, then the unit. */
export function formatFigure(figure: MeasuredFigure): string {
  const decimals = figure.decimals ?? (String(figure.value).split('.')[1] ?? '').length;
  return figure.value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) + (figure.unit ?? '');
}
