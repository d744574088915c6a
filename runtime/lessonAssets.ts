/**
 * What a lesson page preloads for its sandbox: the models and data sets its lesson declares in
 * content/course.yaml, by the names cells use. The build writes the files and this list
 * (lib/lessons/assets/); the page hands it to the runtime, which knows no lesson by name.
 */
export interface LessonAssets {
  /** TensorFlow.js LayersModels: `url` is model.json; its weight files sit next to it. */
  models: Record<string, { url: string; bytes: number }>;
  /** `images`: an image set (runtime/data/imageSet.ts); `table`: JSON `{ columns, rows }` from a CSV. */
  datasets: Record<string, { kind: DatasetKind; url: string; bytes: number }>;
}

export type DatasetKind = 'images' | 'table';

/** A CSV file as cells get it from `lesson.loadTable`: numeric columns hold numbers. */
export interface Table {
  columns: string[];
  rows: (number | string)[][];
}

export const NO_LESSON_ASSETS: LessonAssets = { models: {}, datasets: {} };
