/**
 * `npm run cell -- <file.ts>... [--page /lesson/page/] [--cell id]`: runs TypeScript files as a lesson
 * cell in headless Chromium against the production build (out/), one after another in the same browser
 * (so a model one saves, the next can load), and prints what the OUTPUT pane shows, with each run's
 * status and duration. For lesson authors: try a cell's code, see its figures and how long it takes on
 * this machine, without clicking through the site. Build first (`npm run build`).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { draftKey } from '../runtime/host/drafts';
import { launchBrowser } from '../tests/e2e/browser';
import { READY_TIMEOUT_MS, output, waitForEnd } from '../tests/e2e/cells';
import { startStaticServer } from './staticServer.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    page: { type: 'string', default: '/transfer-learning/transfer-learning/' },
    cell: { type: 'string', default: 'first-tensor' },
    timeout: { type: 'string', default: '600' },
  },
});
if (positionals.length === 0) {
  console.error('usage: npm run cell -- <file.ts>... [--page /lesson/page/] [--cell id] [--timeout seconds]');
  process.exit(2);
}
const lesson = values.page.split('/').filter(Boolean)[0]!;

const server = await startStaticServer({ dir: 'out', port: 0 });
const launched = await launchBrowser();
try {
  const page = await launched.context.newPage();
  await page.goto(server.url + values.page);
  const cell = page.locator(`[data-cell-id="${values.cell}"]`);
  for (const file of positionals) {
    // The cell opens with the file's code as the student's saved edit: no typing into the editor.
    const draft = JSON.stringify({ code: readFileSync(file, 'utf8'), starterHash: 'run-cell', savedAt: Date.now() });
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [draftKey(lesson, values.cell), draft] as const);
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
