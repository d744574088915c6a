import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { loadCourse } from '@/lib/lessons/course';
import { launchBrowser, type LaunchedBrowser } from '../../scripts/browser/launch';
import { openEditor, output, READY_TIMEOUT_MS, setCode, waitForEnd, type CellPage } from './cells';

/*
 * A lesson brings its own models and data: its pages preload exactly what its entry in course.yaml
 * declares, and nothing of any other lesson's.
 */

const baseUrl = inject('baseUrl');
const { course, compiled } = await loadCourse(process.cwd(), MDX_COMPONENT_NAMES);
let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser();
});
afterAll(async () => {
  await launched?.close();
});

const lessonsWithCells = course.lessons.filter((lesson) => lesson.pages.some((p) => (compiled.get(p.file)?.cells.length ?? 0) > 0));

describe('lesson assets in the browser', () => {
  it.each(lessonsWithCells.map((lesson) => [lesson.slug, lesson] as const))('a page of "%s" downloads its own lesson\'s models and data sets and no other lesson\'s', async (_, lesson) => {
    const page = await launched.context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/_gen/lessons/')) requested.push(pathname);
    });
    const href = lesson.pages.find((p) => (compiled.get(p.file)?.cells.length ?? 0) > 0)!.href;
    await page.goto(baseUrl + href);
    await page.getByText(/^Ready · /).first().waitFor({ timeout: READY_TIMEOUT_MS });
    const declared = [...Object.values(lesson.assets.models), ...Object.values(lesson.assets.datasets)].map((a) => a.url);
    expect(declared.every((url) => requested.includes(url)), `requested: ${requested.join(', ')}`).toBe(true);
    expect(requested.filter((p) => !p.startsWith(`/_gen/lessons/${lesson.slug}/`))).toEqual([]);
    await page.close();
  });

  it('tells a cell that asks for a name the lesson does not declare which names it does declare', async () => {
    const lesson = lessonsWithCells[0]!;
    const href = lesson.pages.find((p) => (compiled.get(p.file)?.cells.length ?? 0) > 0)!.href;
    const id = compiled.get(lesson.pages.find((p) => p.href === href)!.file)!.cells[0]!.id;
    const page = await launched.context.newPage();
    await page.goto(baseUrl + href);
    const cell = page.locator(`[data-cell-id="${id}"]`);
    await openEditor(cell);
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
    const open: CellPage = { page, cell };
    await setCode(open, "import * as lesson from 'lesson';\n// @ts-expect-error: not a name this lesson declares\nawait lesson.loadModel('no-such-model');\n");
    await cell.getByRole('button', { name: 'Run Code' }).click();
    expect(await waitForEnd(cell)).toBe('failed');
    const models = Object.keys(lesson.assets.models).map((name) => `"${name}"`).join(', ');
    expect(await output(cell)).toContain(`This lesson declares no model named "no-such-model". It declares: ${models}.`);
    await page.close();
  });
});
