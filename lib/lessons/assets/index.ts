import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseImageSet } from '../../../runtime/data/imageSet';
import type { LessonAssets } from '../../../runtime/lessonAssets';
import { sitePath } from '../../site';
import { AuthoringError, AuthoringErrors } from '../errors';
import type { DatasetDeclaration, ManifestLesson, ModelDeclaration } from '../manifest';
import { readCsv } from './csv';
import { packImageFolder } from './imageFolder';
import { readModel } from './model';

/**
 * What one lesson's page may preload, all assets together, as the build packs them. A page downloads
 * its lesson's assets before the first Run, so this bounds that wait (about 2 s at 30 Mbit/s).
 */
export const LESSON_ASSET_BUDGET_BYTES = 8 * 1024 * 1024;

/** Where the build writes lesson assets under public/, and so where the site serves them (below its base path). */
export const LESSON_ASSETS_URL = '/_gen/lessons';

export interface BuiltAssets {
  /** URLs and sizes by name, for the page. */
  assets: LessonAssets;
  /** Files to serve, by path relative to `LESSON_ASSETS_URL`. */
  files: { path: string; bytes: Uint8Array }[];
  /** `declare module 'lesson'` with the lesson's asset names as types, for the editor and the type check. */
  typings: string;
}

/**
 * Checks and packs the models and data sets a lesson declares: every model a valid LayersModel with
 * its weights, every image folder decoded, every CSV parsed. File names carry a hash of their bytes,
 * so a browser may keep them forever and two builds never mix. Collects every mistake before failing.
 */
export function buildLessonAssets(root: string, lesson: ManifestLesson): BuiltAssets {
  const errors: AuthoringError[] = [];
  const built: BuiltAssets = { assets: { models: {}, datasets: {} }, files: [], typings: lessonTypings(lesson) };
  const sizes: { name: string; source: string; bytes: number }[] = [];
  const attempt = (what: () => void) => {
    try {
      what();
    } catch (error) {
      if (error instanceof AuthoringError) errors.push(error);
      else if (error instanceof AuthoringErrors) errors.push(...error.errors);
      else throw error;
    }
  };

  for (const model of lesson.models) {
    attempt(() => {
      const { files } = readModel(root, model);
      const folder = `${lesson.slug}/models/${model.name}-${hashOf(files.map((f) => f.bytes))}`;
      for (const file of files) built.files.push({ path: `${folder}/${file.path}`, bytes: file.bytes });
      const bytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
      built.assets.models[model.name] = { url: sitePath(`${LESSON_ASSETS_URL}/${folder}/${files[0]!.path}`), bytes };
      sizes.push({ name: model.name, source: model.file, bytes });
    });
  }
  for (const set of lesson.datasets) {
    attempt(() => {
      const { kind, bytes, ext } = packDataset(root, set);
      const file = `${lesson.slug}/data/${set.name}-${hashOf([bytes])}.${ext}`;
      built.files.push({ path: file, bytes });
      built.assets.datasets[set.name] = { kind, url: sitePath(`${LESSON_ASSETS_URL}/${file}`), bytes: bytes.byteLength };
      sizes.push({ name: set.name, source: set.kind === 'images' ? set.dir : set.file, bytes: bytes.byteLength });
    });
  }

  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  if (errors.length === 0 && total > LESSON_ASSET_BUDGET_BYTES) {
    const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0]!;
    const where = [...lesson.models, ...lesson.datasets].find((d) => d.name === largest.name)!.where;
    errors.push(
      new AuthoringError(
        where.file,
        where.line,
        where.column,
        `the assets of the lesson "${lesson.slug}" come to ${megabytes(total)}, over the ${megabytes(LESSON_ASSET_BUDGET_BYTES)} a lesson page may preload; the largest is "${largest.name}" (${largest.source}, ${megabytes(largest.bytes)} as built): use fewer or smaller images, or split the lesson`,
      ),
    );
  }
  if (errors.length > 0) throw new AuthoringErrors(errors);
  return built;
}

function packDataset(root: string, set: DatasetDeclaration): { kind: 'images' | 'table'; bytes: Uint8Array; ext: string } {
  switch (set.kind) {
    case 'images':
      return { kind: 'images', bytes: packImageFolder(root, set), ext: 'bin' };
    case 'csv':
      return { kind: 'table', bytes: new TextEncoder().encode(JSON.stringify(readCsv(root, set))), ext: 'json' };
    case 'imageset': {
      const bytes = new Uint8Array(readFileSync(path.join(root, set.file)));
      try {
        parseImageSet(bytes);
      } catch (error) {
        throw new AuthoringError(set.file, undefined, undefined, `the data set "${set.name}" is not a valid image set: ${(error as Error).message}`);
      }
      return { kind: 'images', bytes, ext: 'bin' };
    }
  }
}

/** The lesson's asset names as string-literal types, merged into the `lesson` module's declarations. */
export function lessonTypings(lesson: Pick<ManifestLesson, 'slug' | 'models' | 'datasets'>): string {
  const union = (names: string[]) => (names.length === 0 ? 'never' : names.map((n) => JSON.stringify(n)).join(' | '));
  const datasets = (kind: 'table' | 'images') => lesson.datasets.filter((d) => (d.kind === 'csv' ? 'table' : 'images') === kind).map((d) => d.name);
  return [
    `// The asset names of the lesson "${lesson.slug}", generated from content/course.yaml.`,
    "declare module 'lesson' {",
    `  /** The models this lesson declares in content/course.yaml. */`,
    `  export type ModelName = ${union(lesson.models.map((m: ModelDeclaration) => m.name))};`,
    `  /** The image data sets this lesson declares in content/course.yaml. */`,
    `  export type ImageSetName = ${union(datasets('images'))};`,
    `  /** The tables (CSV files) this lesson declares in content/course.yaml. */`,
    `  export type TableName = ${union(datasets('table'))};`,
    '}',
    '',
  ].join('\n');
}

/**
 * Writes the built files under `publicDir` (public/ for the site), replacing what an earlier build
 * wrote for this lesson, so renamed or removed assets do not linger. File names carry their content's
 * hash, so when every file is already there, nothing is written (`next dev` calls this per request).
 */
export function writeLessonAssets(publicDir: string, slug: string, built: BuiltAssets): void {
  const base = path.join(publicDir, LESSON_ASSETS_URL);
  const present = existsSync(path.join(base, slug)) ? readdirSync(path.join(base, slug), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
  const presentPaths = new Set(present.map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
  if (presentPaths.size === built.files.length && built.files.every((f) => presentPaths.has(f.path))) return;
  rmSync(path.join(base, slug), { recursive: true, force: true });
  for (const file of built.files) {
    const target = path.join(base, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.bytes);
  }
}

function hashOf(parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 12);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
