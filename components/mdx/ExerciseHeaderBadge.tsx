'use client';

import { ExerciseBadge } from '../lesson/ExerciseProgress';
import { useLesson } from '../lesson/LessonContext';

export function ExerciseHeaderBadge({ exercise }: { exercise: string }) {
  return <ExerciseBadge lesson={useLesson()} exercise={exercise} />;
}
