'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { BASE_PATH } from '@/lib/site';
import { setLessonAssets, setSiteBase, type LessonAssets } from '@/runtime';

interface LessonInfo {
  slug: string;
  /** The lesson's asset names as `lesson` module types, for the editor's type checker. */
  typings: string;
}

const LessonContext = createContext<LessonInfo>({ slug: 'unknown-lesson', typings: '' });

/**
 * The lesson a component is rendered in: its slug keys what the student saves (edits, drawings,
 * progress), its assets are what the page's sandbox preloads.
 */
export function LessonProvider({ lesson, assets, typings, children }: { lesson: string; assets: LessonAssets; typings: string; children: ReactNode }) {
  // During render, not in an effect: the cells below start the sandbox from their own effects,
  // which run before this component's. Idempotent, and a page belongs to one lesson.
  if (typeof window !== 'undefined') {
    setSiteBase(BASE_PATH);
    setLessonAssets(assets);
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
