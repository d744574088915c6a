import path from 'node:path';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { loadCourse, type LoadedCourse } from './lessons/course';
import type { CoursePage } from './lessons/types';

const loaded = new Map<string, Promise<LoadedCourse>>();

/**
 * The course under `root`, compiled once per build process. In `next dev` it is recompiled on every
 * request so an instructor sees an edited lesson on reload.
 */
export function getCourse(root: string = process.cwd()): Promise<LoadedCourse> {
  // The build writes lesson assets before Next.js runs (scripts/check-lessons.ts); `next dev` serves
  // public/ as it is, so it writes them itself, and an edited data set shows on reload too.
  if (process.env.NODE_ENV === 'development') return loadCourse(root, MDX_COMPONENT_NAMES, { writeAssetsTo: path.join(root, 'public') });
  let course = loaded.get(root);
  if (!course) {
    course = loadCourse(root, MDX_COMPONENT_NAMES);
    loaded.set(root, course);
  }
  return course;
}

export interface PageNeighbours {
  previous?: CoursePage;
  next?: CoursePage;
}

export function neighbours(pages: readonly CoursePage[], current: CoursePage): PageNeighbours {
  const i = pages.indexOf(current);
  return { previous: i > 0 ? pages[i - 1] : undefined, next: pages[i + 1] };
}
