import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchForeignRequests, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { type CellPage, editorText, openCell, output, pageRoundTripMs, reload, run, setCode, startRun, waitForEnd } from './cells';

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
let cp: CellPage;
let pageErrors: string[];
let foreign: string[];

beforeAll(async () => {
  launched = await launchBrowser();
  foreign = watchForeignRequests(launched.context, baseUrl);
  cp = await openCell(launched, baseUrl);
  pageErrors = watchPageErrors(cp.page);
});
afterAll(async () => {
  await launched?.close();
});


describe('running main.ts', () => {
  it('streams console output in order while the code still runs, with levels styled', async () => {
    await setCode(cp, [
      "console.log('first', 1, { a: [1, 2] });",
      "console.info('an info'); console.warn('a warning'); console.error('an error');",
      'for (let i = 1; i <= 3; i++) {',
      '  await new Promise((resolve) => setTimeout(resolve, 600));',
      "  console.log('tick', i);",
      '}',
    ].join('\n'));
    await startRun(cp);
    // Output arrives before the run ends: the status as the page showed it when "tick 1" appeared,
    // read in the page itself (a round trip from the test could come after the run ended).
    const statusWhenShown = await cp.page.waitForFunction(
      (cell) => (cell?.querySelector('[role="log"]')?.textContent?.includes('tick 1') ? cell.getAttribute('data-run-status') : null),
      await cp.cell.elementHandle(),
      { polling: 'raf' },
    );
    expect(await statusWhenShown.jsonValue()).toBe('running');
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const text = await output(cp.cell);
    expect(text.indexOf('first')).toBeLessThan(text.indexOf('tick 1'));
    expect(text.indexOf('tick 1')).toBeLessThan(text.indexOf('tick 3'));
    expect(text).toContain('first 1 {a: [1, 2]}');
    const log = cp.cell.getByRole('log');
    expect(await log.locator('[data-level="warn"]').innerText()).toContain('a warning');
    expect(await log.locator('[data-level="error"]').innerText()).toContain('an error');
    expect(await log.locator('[data-level="info"]').innerText()).toContain('an info');
    expect(await cp.cell.getByRole('status').filter({ hasText: /^Finished in/ }).innerText()).toMatch(/^Finished in [\d.]+ m?s\s*(webgl|wasm)$/);
  });

  it('previews objects, Maps, circular values, errors and tensors readably', async () => {
    await setCode(cp, [
      "import * as tf from '@tensorflow/tfjs';",
      'const circular: Record<string, unknown> = { name: "loop" }; circular.self = circular;',
      "console.log(new Map([['k', 1]]), new Set([2]), circular);",
      "console.log(new RangeError('out of range'));",
      'console.log(tf.tensor2d([[1, 2], [3, 4]]));',
      "console.table([{ layer: 'block1', frozen: true }, { layer: 'block5', frozen: false }]);",
    ].join('\n'));
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain("Map(1) {'k' => 1}");
    expect(text).toContain('Set(1) {2}');
    expect(text).toContain("{name: 'loop', self: [Circular]}");
    expect(text).toContain('RangeError: out of range');
    expect(text).toMatch(/Tensor float32 \[2, 2\]\s*\[\[1, 2\],\s*\[3, 4\]\]/);
    const table = cp.cell.getByRole('log').locator('table');
    expect(await table.locator('thead th').allInnerTexts()).toEqual(['(index)', 'layer', 'frozen']);
    expect(await table.locator('tbody tr').count()).toBe(2);
  });

  it('blocks a run on a syntax error, with a message and an editor marker at the line', async () => {
    await setCode(cp, "const ok = 1;\nconst broken = ;\nconsole.log(ok);");
    expect(await run(cp)).toBe('failed');
    expect(await output(cp.cell)).toContain('main.ts:2:16: Unexpected ";"');
    expect(await cp.cell.getByRole('status').filter({ hasText: 'Did not compile' }).count()).toBe(1);
    await cp.cell.locator('.squiggly-error').first().waitFor();
  });

  it('lets type errors warn without blocking the run', async () => {
    await setCode(cp, "const n: number = 'not a number';\nconsole.log('ran anyway', n);");
    // Wait for the TypeScript worker to flag it.
    await cp.cell.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('ran anyway not a number');
    // The warning joins the output when the checker answers, which may be after this short run ended.
    await expect.poll(() => output(cp.cell)).toMatch(/main\.ts has 1 type error; running anyway\. main\.ts:1:7: Type 'string' is not assignable to type 'number'\./);
  });

  it('maps a runtime error back to its line in main.ts and marks it', async () => {
    await setCode(cp, ['function check(value: number) {', "  if (value > 2) throw new TypeError(`too big: ${value}`);", '}', '', 'check(1);', 'check(5);'].join('\n'));
    expect(await run(cp)).toBe('failed');
    const text = await output(cp.cell);
    expect(text).toContain('TypeError: too big: 5');
    expect(text).toContain('at check (main.ts:2:24)');
    expect(text).toContain('at main.ts:6:1');
    await cp.cell.getByRole('button', { name: 'main.ts:2:24' }).click();
    await cp.cell.locator('.squiggly-error').first().waitFor();
  });

  it('reports throw null, throw of a string, rejected promises and errors in callbacks', async () => {
    await setCode(cp, "setTimeout(() => { throw new Error('in a timer'); }, 10);\nPromise.reject(new Error('nobody awaited me'));\nawait new Promise((r) => setTimeout(r, 50));\nthrow null;");
    expect(await run(cp)).toBe('failed');
    let text = await output(cp.cell);
    expect(text).toContain('Error: nobody awaited me (in a promise nobody awaited)');
    expect(text).toContain('Error: in a timer (in a callback)');
    expect(text).toContain('Uncaught null');

    await setCode(cp, "throw 'plain text';");
    expect(await run(cp)).toBe('failed');
    text = await output(cp.cell);
    expect(text).toContain('Uncaught string value');
    expect(text).toContain("'plain text'");
  });

  it('supports top-level await and starts every run from a clean state', async () => {
    await setCode(cp, "(globalThis as any).leftover = 'from the last run';\nconst x = await Promise.resolve(41);\nconsole.log('answer', x + 1);");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('answer 42');
    await setCode(cp, "console.log('leftover is', typeof (globalThis as any).leftover);");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('leftover is undefined');
  });

  it('refuses imports the sandbox does not provide', async () => {
    await setCode(cp, "import _ from 'lodash';\nconsole.log(_);");
    expect(await run(cp)).toBe('failed');
    expect(await output(cp.cell)).toContain('Cannot import "lodash": cells can only import "@tensorflow/tfjs" and "lesson"');
  });
});

describe('stopping', () => {
  it('stops an endless loop within a second, keeps the page responsive, and runs again at once', async () => {
    await setCode(cp, "console.log('spinning');\nwhile (true) {}");
    await startRun(cp);
    await cp.cell.getByRole('log').getByText('spinning').waitFor();
    expect(await pageRoundTripMs(cp.page)).toBeLessThan(500);
    await cp.cell.getByRole('button', { name: 'Stop' }).click();
    expect(await waitForEnd(cp.cell, 1_000)).toBe('stopped');
    expect(await output(cp.cell)).toContain('Stopped.');

    await setCode(cp, "console.log('after the loop');");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('after the loop');
  });

  it('stops an endless chain of microtasks', async () => {
    await setCode(cp, "console.log('chaining');\nconst spin = (): Promise<void> => Promise.resolve().then(spin);\nawait spin();");
    await startRun(cp);
    await cp.cell.getByRole('log').getByText('chaining').waitFor();
    expect(await pageRoundTripMs(cp.page)).toBeLessThan(500);
    await cp.cell.getByRole('button', { name: 'Stop' }).click();
    expect(await waitForEnd(cp.cell, 1_000)).toBe('stopped');
  });
});

describe('console floods', () => {
  it('shows the first and last of 100,000 lines and counts the rest, without freezing the page', async () => {
    await setCode(cp, "for (let i = 0; i < 100000; i++) console.log('line', i);");
    await startRun(cp);
    expect(await pageRoundTripMs(cp.page)).toBeLessThan(1_000);
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toMatch(/^line 0\n/);
    expect(text).toMatch(/line 99999\n[^\n]*tensors/);
    expect(text).toMatch(/… 99,000 more lines left out …/);
  });

  it('cuts a 50 MB string and says how much was left out', async () => {
    await setCode(cp, "console.log('x'.repeat(50_000_000));");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('… (49,990,000 more characters)');
  });
});

describe('the student never loses work', () => {
  it('keeps edits across a reload, and Reset restores the starter after confirming (with undo)', async () => {
    await cp.cell.getByRole('button', { name: 'Reset' }).click();
    await cp.cell.getByRole('alertdialog').getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => editorText(cp.cell)).toContain("import * as tf from '@tensorflow/tfjs';");
    const starter = await editorText(cp.cell);

    await setCode(cp, "console.log('my own work');");
    await reload(cp);
    expect(await editorText(cp.cell)).toBe("console.log('my own work');");

    await cp.cell.getByRole('button', { name: 'Reset' }).click();
    await cp.cell.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await editorText(cp.cell)).toBe("console.log('my own work');");
    await cp.cell.getByRole('button', { name: 'Reset' }).click();
    await cp.cell.getByRole('alertdialog').getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => editorText(cp.cell)).toBe(starter);
    await cp.cell.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => editorText(cp.cell)).toBe("console.log('my own work');");
  });

  it('says when the lesson changed the starter under a saved edit, and offers the new version', async () => {
    // A draft saved against an older starter, planted while no page of the lesson is open (an open
    // one would save its own text over it when it closes).
    await cp.page.close();
    const page = await launched.context.newPage();
    await page.goto(baseUrl + '/');
    await page.evaluate(() =>
      localStorage.setItem('course:v1:draft:transfer-learning:first-tensor', JSON.stringify({ code: "console.log('old edit');", starterHash: 'an-old-hash', savedAt: 1 })),
    );
    await page.close();
    cp = await openCell(launched, baseUrl);
    watchPageErrors(cp.page, pageErrors);
    await cp.cell.getByText(/starter code for this cell changed/).waitFor();
    expect(await editorText(cp.cell)).toBe("console.log('old edit');");
    await cp.cell.getByRole('button', { name: 'Use the new starter' }).click();
    await expect.poll(() => editorText(cp.cell)).toContain("import * as tf from '@tensorflow/tfjs';");
    await cp.cell.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => editorText(cp.cell)).toBe("console.log('old edit');");
  });

  it('keeps the code when a run hangs and the page is reloaded mid-run, without running it again', async () => {
    await setCode(cp, "// still mine after a hang\nwhile (true) {}");
    await startRun(cp);
    await cp.cell.getByRole('button', { name: 'Stop' }).waitFor();
    await reload(cp);
    expect(await editorText(cp.cell)).toBe('// still mine after a hang\nwhile (true) {}');
    expect(await cp.cell.getAttribute('data-run-status')).toBe('idle');
  });
});

describe('the page stays healthy', () => {
  it('logged no page errors and sent no request off localhost', () => {
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
