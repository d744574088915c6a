/**
 * `npm run cell -- <file.ts>... [--page /lesson/page/] [--cell id]`: runs TypeScript files as a lesson
 * cell (by default the first cell of the lesson the file belongs to) in headless Chromium against the
 * production build (out/), one after another in the same browser
 * (so a model one saves, the next can load), and prints what the OUTPUT pane shows, with each run's
 * status and duration. For lesson authors: try a cell's code, see its figures and how long it takes on
 * this machine, without clicking through the site. Build first (`npm run build`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MDX_COMPONENT_NAMES } from '../lib/lessons/componentNames';
import { loadCourse } from '../lib/lessons/course';
import { draftKey } from '../runtime/host/drafts';
import { launchBrowser } from './browser/launch';
import { READY_TIMEOUT_MS, output, waitForEnd } from './browser/cells';
import { startStaticServer } from './staticServer.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    page: { type: 'string' },
    cell: { type: 'string' },
    timeout: { type: 'string', default: '600' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npm run cell -- <file.ts>... [--page /lesson/page/] [--cell id] [--timeout seconds]');
  process.exit(2);
}

/**
 * The page and cell to run in: by default the first cell of the first page of the lesson whose folder
 * holds the first file (content/<lesson>/...), so the lesson's own models and data are there.
 */
async function target(): Promise<{ href: string; cellId: string }> {
  const { course, compiled } = await loadCourse(process.cwd(), MDX_COMPONENT_NAMES);
  const folder = path.relative('content', path.resolve(positionals[0]!)).split(path.sep)[0];
  const lesson = course.lessons.find((l) => l.slug === folder) ?? course.lessons[0]!;
  const pages = values.page ? course.pages.filter((p) => p.href === values.page) : lesson.pages;
  for (const page of pages) {
    const cells = compiled.get(page.file)?.cells ?? [];
    const cell = values.cell ? cells.find((c) => c.id === values.cell) : cells.find((c) => c.kind === 'code');
    if (cell) return { href: page.href, cellId: cell.id };
  }
  throw new Error(`no ${values.cell ? `cell "${values.cell}"` : 'code cell'} on ${values.page ?? `the pages of "${lesson.slug}"`}`);
}
const { href, cellId } = await target();
const lesson = href.split('/').filter(Boolean)[0]!;

const server = await startStaticServer({ dir: 'out', port: 0 });
const launched = await launchBrowser();
try {
  const page = await launched.context.newPage();
  await page.goto(server.url + href);
  const cell = page.locator(`[data-cell-id="${cellId}"]`);
  for (const file of positionals) {
    // The cell opens with the file's code as the student's saved edit: no typing into the editor.
    const draft = JSON.stringify({ code: readFileSync(file, 'utf8'), starterHash: 'run-cell', savedAt: Date.now() });
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [draftKey(lesson, cellId), draft] as const);
    await page.reload();
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
    const started = Date.now();
    await cell.getByRole('button', { name: 'Run Code' }).click();
    const status = await waitForEnd(cell, Number(values.timeout) * 1000);
    console.log(`\n===== ${file}\n${await output(cell)}`);
    console.log(`[${status} in ${((Date.now() - started) / 1000).toFixed(1)} s]`);
    if (status !== 'finished') process.exitCode = 1;
  }
} finally {
  await launched.close();
  await server.close();
}
