import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MDX_COMPONENT_NAMES } from '../../lib/lessons/componentNames';
import { loadCourse } from '../../lib/lessons/course';
import type { LessonAssets } from '../../runtime/lessonAssets';

export interface LessonCell {
  /** "<page href>#<cell id>" */
  name: string;
  id: string;
  /** The page the cell is on, e.g. /transfer-learning/transfer-learning/ */
  href: string;
  source: string;
}

/**
 * Every code cell and exercise starter of every lesson page, in reading order, found the way the build
 * finds them (lib/lessons), so the benchmark never disagrees with the site about what a cell is.
 * Cells written inline in the MDX have no file to read and are left out (the course has none).
 */
export async function lessonCells(root: string): Promise<LessonCell[]> {
  const { course, compiled } = await loadCourse(root, MDX_COMPONENT_NAMES);
  const cells: LessonCell[] = [];
  for (const page of course.pages) {
    for (const cell of compiled.get(page.file)?.cells ?? []) {
      if (cell.source === 'inline') continue;
      cells.push({ name: `${page.href}#${cell.id}`, id: cell.id, href: page.href, source: readFileSync(path.join(root, cell.source), 'utf8') });
    }
  }
  return cells;
}

/** The models and data sets of the lesson a page belongs to, as the build packs them. */
export async function lessonAssetsOf(root: string, href: string): Promise<LessonAssets> {
  const { course } = await loadCourse(root, MDX_COMPONENT_NAMES);
  const lesson = course.lessons.find((l) => l.pages.some((p) => p.href === href));
  if (!lesson) throw new Error(`no lesson has the page ${href}`);
  return lesson.assets;
}
