'use client';

import { useSyncExternalStore } from 'react';
import { exerciseStatus, subscribeProgress, type ExerciseStatus } from './progressStore';
import styles from './Progress.module.css';

const LABEL: Record<ExerciseStatus, string> = { 'not-started': 'not started', attempted: 'attempted', passed: 'passed' };
const ICON: Record<ExerciseStatus, string> = { 'not-started': '○', attempted: '◐', passed: '✓' };

function useStatuses(lesson: string, exercises: readonly string[]): ExerciseStatus[] {
  const snapshot = useSyncExternalStore(
    subscribeProgress,
    () => exercises.map((id) => exerciseStatus(lesson, id)).join(','),
    () => exercises.map(() => 'not-started').join(','),
  );
  return snapshot ? (snapshot.split(',') as ExerciseStatus[]) : [];
}

/** One exercise's status (not started / attempted / passed), as remembered by this browser. */
export function ExerciseBadge({ lesson, exercise }: { lesson: string; exercise: string }) {
  const [status = 'not-started'] = useStatuses(lesson, [exercise]);
  return (
    <span className={styles.badge} data-status={status} title={`Exercise ${LABEL[status]}`}>
      <span aria-hidden="true">{ICON[status]}</span>
      <span className="visually-hidden">{LABEL[status]}</span>
    </span>
  );
}

/** "2 of 4 exercises passed" for a lesson. */
export function LessonProgress({ lesson, exercises }: { lesson: string; exercises: readonly string[] }) {
  const statuses = useStatuses(lesson, exercises);
  if (exercises.length === 0) return null;
  const passed = statuses.filter((s) => s === 'passed').length;
  const attempted = statuses.filter((s) => s === 'attempted').length;
  return (
    <p className={styles.summary} data-passed={passed}>
      <span className={styles.bar} aria-hidden="true">
        <span style={{ width: `${(100 * passed) / exercises.length}%` }} />
      </span>
      {passed} of {exercises.length} exercises passed{attempted > 0 ? `, ${attempted} attempted` : ''}
    </p>
  );
}
