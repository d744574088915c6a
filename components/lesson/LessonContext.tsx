'use client';

import { createContext, useContext, type ReactNode } from 'react';

/** The lesson a component is rendered in; keys what the student saves (edits, drawings, progress). */
const LessonContext = createContext<string>('unknown-lesson');

export function LessonProvider({ lesson, children }: { lesson: string; children: ReactNode }) {
  return <LessonContext.Provider value={lesson}>{children}</LessonContext.Provider>;
}

export function useLesson(): string {
  return useContext(LessonContext);
}
