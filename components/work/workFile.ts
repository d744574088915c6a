import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { MAX_CLASSES, MAX_CLASS_NAME_LENGTH } from '../lesson/drawingClasses';
import { MAX_EXAMPLES_PER_CLASS, decodePixels, encodePixels, type Drawings } from '../lesson/drawingStore';
import { crc32, recordedChecksums } from './zipChecksums';

/**
 * The "download my work" file: a zip holding `manifest.json` and one `cells/<id>/main.ts` per edited
 * cell (docs/work-format.md describes it for people). Everything read from such a file is checked
 * here; a file that fails any check is refused whole, so a restore never half-happens.
 */

export const WORK_FORMAT = 'course-work';
/** The format version this code writes and the newest it reads. */
export const WORK_VERSION = 1;
/** Larger than any real lesson's work (drawings at their limit are about 1 MB); refused before unzipping. */
export const MAX_WORK_FILE_BYTES = 20_000_000;
const MAX_MANIFEST_BYTES = 5_000_000;
/** localStorage holds about 5 MB per site, so no saved edit comes near this. */
const MAX_CELL_BYTES = 1_000_000;
const MAX_CELLS = 500;
const MANIFEST = 'manifest.json';
const README = 'README.txt';

/** Cell and exercise ids: what the lesson build allows, and safe as a folder name inside the zip. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export type SavedExerciseStatus = 'attempted' | 'passed';

export interface CellWork {
  id: string;
  code: string;
  /** Fingerprint of the starter code the edit was made on (the cell says so when the lesson changed since). */
  starterHash: string;
  /** When the edit was last saved, in milliseconds since 1970. */
  savedAt: number;
}

/** Everything a student made in one lesson. */
export interface LessonWork {
  lesson: string;
  /** ISO 8601 time the file was made. */
  createdAt: string;
  cells: CellWork[];
  progress: { exercise: string; status: SavedExerciseStatus }[];
  drawings: Drawings;
}

export type WorkFileProblem = 'damaged' | 'not-work' | 'newer-version' | 'other-lesson' | 'too-large';

export type DecodedWorkFile = { ok: true; work: LessonWork } | { ok: false; problem: WorkFileProblem; message: string };

export const cellFilePath = (id: string) => `cells/${id}/main.ts`;

const versionProbe = z.object({ format: z.string(), version: z.unknown() });

const manifestSchema = z.object({
  format: z.literal(WORK_FORMAT),
  version: z.literal(WORK_VERSION),
  lesson: z.string().min(1).max(200),
  createdAt: z.iso.datetime({ offset: true }),
  cells: z
    .array(z.object({ id: z.string().regex(ID), starterHash: z.string().max(200), savedAt: z.number().nonnegative() }))
    .max(MAX_CELLS)
    .refine((cells) => new Set(cells.map((c) => c.id)).size === cells.length, 'a cell is listed twice'),
  progress: z.record(z.string().regex(ID), z.enum(['attempted', 'passed'])),
  drawings: z
    .object({
      classes: z.array(z.string().max(MAX_CLASS_NAME_LENGTH)).max(MAX_CLASSES),
      examples: z.array(z.object({ label: z.number().int().nonnegative(), pixels: z.string() })).max(MAX_CLASSES * MAX_EXAMPLES_PER_CLASS),
    })
    .refine((d) => d.examples.every((e) => e.label < d.classes.length), 'an example belongs to a class that is not listed'),
});

type Manifest = z.infer<typeof manifestSchema>;

const readme = (work: LessonWork) => `Your work in the lesson "${work.lesson}", saved on ${work.createdAt}.

To continue on another computer or browser, open any page of that lesson and choose
"Restore from a file" under "Your work", then pick this file. You will see what it replaces
before anything changes.

cells/<id>/main.ts  your edited code, one folder per code cell
manifest.json       exercise progress, drawings, and which starter code each edit was made on
`;

/** The work as the bytes of a zip file. */
export function encodeWorkFile(work: LessonWork): Uint8Array<ArrayBuffer> {
  const manifest: Manifest = {
    format: WORK_FORMAT,
    version: WORK_VERSION,
    lesson: work.lesson,
    createdAt: work.createdAt,
    cells: work.cells.map(({ id, starterHash, savedAt }) => ({ id, starterHash, savedAt })),
    progress: Object.fromEntries(work.progress.map(({ exercise, status }) => [exercise, status])),
    drawings: { classes: work.drawings.classes, examples: work.drawings.examples.map((e) => ({ label: e.label, pixels: encodePixels(e.pixels) })) },
  };
  const mtime = new Date(work.createdAt);
  const files: Zippable = {
    [MANIFEST]: strToU8(JSON.stringify(manifest, null, 2) + '\n'),
    [README]: strToU8(readme(work)),
  };
  for (const cell of work.cells) files[cellFilePath(cell.id)] = strToU8(cell.code);
  // fflate writes the zip into an ArrayBuffer of its own (its types do not say so), which a Blob takes.
  return zipSync(files, { level: 6, mtime }) as Uint8Array<ArrayBuffer>;
}

const NOTHING_CHANGED = 'Nothing was changed.';
const damaged = (detail: string): DecodedWorkFile => ({
  ok: false,
  problem: 'damaged',
  message: `This file is damaged or incomplete (${detail}), so it cannot be restored. Download your work again from the browser that has it. ${NOTHING_CHANGED}`,
});

/**
 * Reads a work file for `lesson`. Anything that is not a complete work file of a version this code
 * reads, made for this lesson, is refused with a message a student can act on.
 */
export function decodeWorkFile(bytes: Uint8Array, lesson: string): DecodedWorkFile {
  if (bytes.byteLength > MAX_WORK_FILE_BYTES) {
    return { ok: false, problem: 'too-large', message: `This file is ${(bytes.byteLength / 1e6).toFixed(1)} MB, far larger than any lesson's work (at most ${MAX_WORK_FILE_BYTES / 1e6} MB), so it is not a work file. ${NOTHING_CHANGED}` };
  }
  let entries: Record<string, Uint8Array>;
  const oversized = new Set<string>();
  let checksums: Map<string, number>;
  try {
    // Declared sizes bound what is inflated: fflate writes each file into a buffer of its declared size.
    entries = unzipSync(bytes, {
      filter: (file) => {
        const limit = file.name === MANIFEST ? MAX_MANIFEST_BYTES : /^cells\/[^/]+\/main\.ts$/.test(file.name) ? MAX_CELL_BYTES : 0;
        if (file.originalSize > limit && limit > 0) oversized.add(file.name);
        return file.originalSize <= limit && limit > 0;
      },
    });
    checksums = recordedChecksums(bytes);
  } catch {
    return {
      ok: false,
      problem: 'damaged',
      message: `This file cannot be opened as a zip: it is damaged or incomplete, or it is not the .zip that "Download my work" saved. ${NOTHING_CHANGED}`,
    };
  }
  for (const [name, content] of Object.entries(entries)) {
    if (checksums.get(name) !== crc32(content)) return damaged(`${name} does not match its checksum`);
  }
  const tooBig = [...oversized][0];
  if (tooBig) return damaged(`${tooBig} is larger than any saved work can be`);
  const manifestBytes = entries[MANIFEST];
  if (!manifestBytes) return { ok: false, problem: 'not-work', message: `This zip is not a work file: it has no manifest.json. Choose the .zip that "Download my work" saved. ${NOTHING_CHANGED}` };

  let raw: unknown;
  try {
    raw = JSON.parse(utf8(manifestBytes));
  } catch {
    return damaged('its manifest.json cannot be read');
  }
  const probe = versionProbe.safeParse(raw);
  if (!probe.success || probe.data.format !== WORK_FORMAT) {
    return { ok: false, problem: 'not-work', message: `This zip is not a work file of this course. Choose the .zip that "Download my work" saved. ${NOTHING_CHANGED}` };
  }
  const { version } = probe.data;
  if (typeof version === 'number' && Number.isInteger(version) && version > WORK_VERSION) {
    return {
      ok: false,
      problem: 'newer-version',
      message: `This file was made by a newer version of the course (work format ${version}; this page reads format ${WORK_VERSION}). Reload the page to get the latest version, then try again. ${NOTHING_CHANGED}`,
    };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return damaged(`manifest.json: ${issue.path.join('.') || 'the whole file'}: ${issue.message}`);
  }
  const manifest = parsed.data;
  if (manifest.lesson !== lesson) {
    return {
      ok: false,
      problem: 'other-lesson',
      message: `This file holds work for another lesson ("${manifest.lesson}"), not for this one ("${lesson}"). Open a page of that lesson and restore it there. ${NOTHING_CHANGED}`,
    };
  }

  const cells: CellWork[] = [];
  for (const { id, starterHash, savedAt } of manifest.cells) {
    const file = entries[cellFilePath(id)];
    if (!file) return damaged(`${cellFilePath(id)} is missing`);
    let code: string;
    try {
      code = utf8(file);
    } catch {
      return damaged(`${cellFilePath(id)} is not text`);
    }
    cells.push({ id, code, starterHash, savedAt });
  }
  const examples: Drawings['examples'] = [];
  for (const [i, example] of manifest.drawings.examples.entries()) {
    const pixels = decodePixels(example.pixels);
    if (!pixels) return damaged(`drawing ${i + 1} is not a 28x28 picture`);
    examples.push({ label: example.label, pixels });
  }
  return {
    ok: true,
    work: {
      lesson: manifest.lesson,
      createdAt: manifest.createdAt,
      cells,
      progress: Object.entries(manifest.progress).map(([exercise, status]) => ({ exercise, status })),
      drawings: { classes: manifest.drawings.classes, examples },
    },
  };
}

/** Strict UTF-8: a damaged byte sequence throws instead of turning into U+FFFD. */
function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** `transfer-learning-work-2026-12-03.zip` */
export function workFileName(lesson: string, at: Date): string {
  const day = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
  return `${lesson}-work-${day}.zip`;
}
