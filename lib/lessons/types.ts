import type { CompiledCode } from '../../runtime/compiler/compileCell';
import type { LessonAssets } from '../../runtime/lessonAssets';
import type { CodeColorKind } from '../editor/codeColors';

export interface Heading {
  depth: 2 | 3;
  text: string;
  id: string;
}

/** One piece of a cell's code as the build read it (so the build can check that it compiles). */
export interface CellCode {
  /** A CodeCell has a starter; an Exercise has a starter, a solution and a check. */
  role: 'starter' | 'solution' | 'check';
  /** Where the code is written, relative to the repository root: its own .ts file, or the page for a fenced block. */
  file: string;
  /** The line of `file` that holds the code's first line. */
  firstLine: number;
  code: string;
}

/** A runnable cell found in a lesson page, as the build saw it. */
export interface CellInfo {
  id: string;
  kind: 'code' | 'exercise';
  /** Where the starter code came from, relative to the repository root ("inline" when written in the MDX). */
  source: string;
  line: number;
  /** Exercises have a title, shown in the lesson outline. */
  title?: string;
  code: CellCode[];
}

export interface PageFrontmatter {
  title: string;
  description?: string;
}

export interface CoursePage {
  lessonSlug: string;
  lessonTitle: string;
  slug: string;
  /** Path of the MDX file relative to the repository root. */
  file: string;
  title: string;
  description?: string;
  /** 1-based position of the page inside its lesson. */
  pageInLesson: number;
  pagesInLesson: number;
  /** 1-based position of the page in the whole course. */
  pageInCourse: number;
  pagesInCourse: number;
  href: string;
  /** The page's exercises, in order. */
  exercises: { id: string; title: string }[];
}

export interface CourseLesson {
  slug: string;
  title: string;
  summary?: string;
  pages: CoursePage[];
  /** The models and data sets the lesson declares, as the build packed them (URLs and sizes by name). */
  assets: LessonAssets;
  /** The lesson's asset names as types of the `lesson` module, for the editor and the lesson type check. */
  typings: string;
}

export interface Course {
  title: string;
  description?: string;
  lessons: CourseLesson[];
  /** Every page of every lesson, in reading order. */
  pages: CoursePage[];
}

/** Lines of [text, kind] pieces, coloured by kind (lib/editor/codeColors). */
export type HighlightedCode = [text: string, kind: CodeColorKind][][];

/**
 * What the build prepared for one cell, so that a Run of unedited code needs no compiler, and the code
 * is readable and highlighted before any editor code loads.
 */
export interface PreparedCell {
  /** Compiled by the browser's compiler with its options (runtime/compiler/compileCell). */
  starter: CompiledCode;
  /** Exercises: the solution (a student may show it and run it unedited) and the check. */
  solution?: CompiledCode;
  check?: CompiledCode;
  highlighted: { starter: HighlightedCode; solution?: HighlightedCode };
}

export interface CompiledPage {
  /** mdx-bundler output: the body of a function returning the MDX component. */
  code: string;
  frontmatter: PageFrontmatter;
  headings: Heading[];
  cells: CellInfo[];
  /** By cell id. */
  prepared: Record<string, PreparedCell>;
}
