/**
 * Compiles every lesson the way the site build does and prints authoring mistakes as
 * `file:line:col: message`, one per line, before Next.js gets a chance to bury them in a stack trace.
 */
import { MDX_COMPONENT_NAMES } from '../components/mdx/names';
import { loadCourse } from '../lib/lessons/course';
import { AuthoringError, AuthoringErrors } from '../lib/lessons/errors';

try {
  const { course } = await loadCourse(process.cwd(), MDX_COMPONENT_NAMES);
  console.log(`lessons ok: ${course.lessons.length} lesson(s), ${course.pages.length} page(s)`);
} catch (error) {
  if (error instanceof AuthoringErrors || error instanceof AuthoringError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
