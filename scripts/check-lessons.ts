/**
 * Compiles every lesson the way the site build does and prints authoring mistakes as
 * `file:line:col: message`, one per line, before Next.js gets a chance to bury them in a stack trace.
 * Then writes each lesson's packed models and data sets under public/_gen/lessons/ for the build.
 */
import path from 'node:path';
import { MDX_COMPONENT_NAMES } from '../lib/lessons/componentNames';
import { loadCourse } from '../lib/lessons/course';
import { AuthoringError, AuthoringErrors } from '../lib/lessons/errors';

try {
  const { course } = await loadCourse(process.cwd(), MDX_COMPONENT_NAMES, { writeAssetsTo: path.join(process.cwd(), 'public') });
  const assets = course.lessons.map((l) => `${l.slug}: ${Object.keys(l.assets.models).length} model(s), ${Object.keys(l.assets.datasets).length} data set(s)`);
  console.log(`lessons ok: ${course.lessons.length} lesson(s), ${course.pages.length} page(s); assets written (${assets.join('; ')})`);
} catch (error) {
  if (error instanceof AuthoringErrors || error instanceof AuthoringError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
