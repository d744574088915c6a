import { MDX_COMPONENT_NAMES } from '@/components/mdx/names';
import { loadCourse, type LoadedCourse } from './lessons/course';
import type { CoursePage } from './lessons/types';

const loaded = new Map<string, Promise<LoadedCourse>>();

/**
 * The course under `root`, compiled once per build process. In `next dev` it is recompiled on every
 * request so an instructor sees an edited lesson on reload.
 */
export function getCourse(root: string = process.cwd()): Promise<LoadedCourse> {
  if (process.env.NODE_ENV === 'development') return loadCourse(root, MDX_COMPONENT_NAMES);
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
