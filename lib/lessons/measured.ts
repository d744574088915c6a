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

/**
 * Something the prose says about its figures that a run must keep true, whatever the values become
 * when they are measured again: `figure` (minus `minus`, when given) is at least `atLeast`.
 */
export interface MeasuredClaim {
  /** What the prose says, in words, for the failure message. */
  says: string;
  figure: string;
  /** A second figure subtracted from the first: the claim is about their difference. */
  minus?: string;
  atLeast: number;
}

export interface MeasuredFile {
  /** Where and how the figures were measured, in words. */
  measuredOn: string;
  figures: Record<string, MeasuredFigure>;
  /** Claims the prose makes about the figures; the lesson tests check them on every run. */
  claims?: MeasuredClaim[];
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
  if (parsed.claims !== undefined && !Array.isArray(parsed.claims)) throw new Error(`${file}: "claims" must be a list`);
  for (const [i, claim] of (parsed.claims ?? []).entries()) {
    const ok = typeof claim.says === 'string' && typeof claim.figure === 'string' && typeof claim.atLeast === 'number' && (claim.minus === undefined || typeof claim.minus === 'string');
    if (!ok) throw new Error(`${file}: claim ${i + 1} needs says (text), figure (a name), atLeast (a number) and optionally minus (a name)`);
    for (const name of [claim.figure, claim.minus]) {
      if (name !== undefined && !(name in parsed.figures)) throw new Error(`${file}: claim ${i + 1} ("${claim.says}") names "${name}", which is not a figure`);
    }
  }
  return parsed as MeasuredFile;
}

/** The claims that `values` (figures by name, as a run printed them) break, each as a sentence. */
export function brokenClaims(claims: readonly MeasuredClaim[], values: Readonly<Record<string, number>>): string[] {
  const broken: string[] = [];
  for (const claim of claims) {
    const first = values[claim.figure];
    const second = claim.minus === undefined ? 0 : values[claim.minus];
    if (first === undefined || second === undefined) {
      broken.push(`"${claim.says}": the run printed no ${first === undefined ? claim.figure : claim.minus}`);
      continue;
    }
    const value = first - second;
    if (!(value >= claim.atLeast)) {
      const what = claim.minus === undefined ? `${claim.figure} is ${first}` : `${claim.figure} − ${claim.minus} is ${first} − ${second} = ${Number(value.toFixed(6))}`;
      broken.push(`"${claim.says}": ${what}, below ${claim.atLeast}`);
    }
  }
  return broken;
}

/** How the prose prints a figure: grouped thousands, the decimals the file gives, then the unit. */
export function formatFigure(figure: MeasuredFigure): string {
  const decimals = figure.decimals ?? (String(figure.value).split('.')[1] ?? '').length;
  return figure.value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) + (figure.unit ?? '');
}
