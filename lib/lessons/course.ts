import { buildLessonAssets, writeLessonAssets, type BuiltAssets } from './assets';
import { prepareCells } from './cellCode';
import { AuthoringError, AuthoringErrors } from './errors';
import { compilePage } from './compilePage';
import { readManifest } from './manifest';
import type { CompiledPage, Course, CoursePage } from './types';

export interface LoadedCourse {
  course: Course;
  /** Compiled MDX per page file. */
  compiled: ReadonlyMap<string, CompiledPage>;
}

export interface LoadCourseOptions {
  /** Write each lesson's packed assets under this public/ folder (the build does; checks need not). */
  writeAssetsTo?: string;
}

/**
 * Reads the manifest, packs every lesson's assets and compiles every page. Collects the mistakes of
 * all pages and assets before failing, so one build run shows an author everything that is wrong.
 */
export async function loadCourse(root: string, allowedComponents: readonly string[], options: LoadCourseOptions = {}): Promise<LoadedCourse> {
  const manifest = readManifest(root);
  const built = new Map<string, BuiltAssets>();
  const entries = manifest.lessons.flatMap((lesson) => lesson.pages.map((page) => ({ lesson, page })));
  const results = await Promise.allSettled(entries.map(({ page }) => compilePage(root, page.file, allowedComponents)));

  const errors: AuthoringError[] = [];
  for (const lesson of manifest.lessons) {
    try {
      built.set(lesson.slug, buildLessonAssets(root, lesson));
    } catch (error) {
      if (error instanceof AuthoringErrors) errors.push(...error.errors);
      else throw error;
    }
  }
  const compiled = new Map<string, CompiledPage>();
  results.forEach((result, i) => {
    const file = entries[i]!.page.file;
    if (result.status === 'fulfilled') compiled.set(file, result.value);
    else if (result.reason instanceof AuthoringErrors) errors.push(...result.reason.errors);
    else if (result.reason instanceof AuthoringError) errors.push(result.reason);
    else throw result.reason;
  });
  errors.push(...duplicateCellIds(manifest.lessons, compiled));
  for (const page of compiled.values()) {
    const { errors: cellErrors, prepared } = await prepareCells(page.cells);
    errors.push(...cellErrors);
    page.prepared = prepared;
  }
  if (errors.length > 0) throw new AuthoringErrors(errors);
  if (options.writeAssetsTo !== undefined) {
    for (const [slug, assets] of built) writeLessonAssets(options.writeAssetsTo, slug, assets);
  }

  const pagesInCourse = entries.length;
  let pageInCourse = 0;
  const lessons = manifest.lessons.map((lesson) => ({
    slug: lesson.slug,
    title: lesson.title,
    summary: lesson.summary,
    assets: built.get(lesson.slug)!.assets,
    typings: built.get(lesson.slug)!.typings,
    pages: lesson.pages.map((page, i): CoursePage => {
      const { frontmatter, cells } = compiled.get(page.file)!;
      return {
        lessonSlug: lesson.slug,
        lessonTitle: lesson.title,
        slug: page.slug,
        file: page.file,
        title: frontmatter.title,
        description: frontmatter.description,
        pageInLesson: i + 1,
        pagesInLesson: lesson.pages.length,
        pageInCourse: ++pageInCourse,
        pagesInCourse,
        href: `/${lesson.slug}/${page.slug}/`,
        exercises: cells.flatMap((cell) => (cell.kind === 'exercise' ? [{ id: cell.id, title: cell.title ?? cell.id }] : [])),
      };
    }),
  }));
  return {
    course: { title: manifest.title, description: manifest.description, lessons, pages: lessons.flatMap((l) => l.pages) },
    compiled,
  };
}

/** Saved edits are keyed by lesson and cell id, so ids must be unique across a lesson's pages. */
function duplicateCellIds(lessons: ReturnType<typeof readManifest>['lessons'], compiled: ReadonlyMap<string, CompiledPage>): AuthoringError[] {
  const errors: AuthoringError[] = [];
  for (const lesson of lessons) {
    const seen = new Map<string, string>();
    for (const page of lesson.pages) {
      for (const cell of compiled.get(page.file)?.cells ?? []) {
        const first = seen.get(cell.id);
        if (first !== undefined && first !== page.file) {
          errors.push(new AuthoringError(page.file, cell.line, undefined, `cell id "${cell.id}" is already used in ${first}; ids must be unique within a lesson`));
        }
        seen.set(cell.id, first ?? page.file);
      }
    }
  }
  return errors;
}
