'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { BASE_PATH } from '@/lib/site';
import { prefetchSavedModels, setSiteBase } from '@/runtime';

interface LessonInfo {
  slug: string;
  /** The lesson's asset names as `lesson` module types, for the editor's type checker. */
  typings: string;
}

const LessonContext = createContext<LessonInfo>({ slug: 'unknown-lesson', typings: '' });

/**
 * The lesson a component is rendered in: its slug keys what the student saves (edits, drawings,
 * progress), its typings are what the editor knows of its models and data sets.
 */
export function LessonProvider({ lesson, typings, children }: { lesson: string; typings: string; children: ReactNode }) {
  // During render, not in an effect: the cells below make their runners as they render, and a Run
  // clicked before the page hydrated starts from their first effects, which run before this
  // component's. (The sandbox, with the lesson's assets, was started by the page's boot script.)
  if (typeof window !== 'undefined') {
    setSiteBase(BASE_PATH);
    prefetchSavedModels(lesson);
  }
  const value = useMemo(() => ({ slug: lesson, typings }), [lesson, typings]);
  return <LessonContext.Provider value={value}>{children}</LessonContext.Provider>;
}

export function useLesson(): string {
  return useContext(LessonContext).slug;
}

export function useLessonTypings(): string {
  return useContext(LessonContext).typings;
}
