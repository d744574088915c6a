/**
 * The sandbox's process dies (killed, or out of memory) while a cell runs: the student is told what
 * happened, the page and the edits survive, the code is not run again by itself, and Run works again.
 * (A reload in the middle of a run is in codeCell.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { editorText, openCell, setCode, startRun, type CellPage } from './cells';
import { crashSandboxProcess, RawPage } from './rawPage';

const baseUrl = inject('baseUrl');
const CELL = '[data-cell-id="first-tensor"]';
const DRAFT_KEY = 'course:v1:draft:transfer-learning:first-tensor';
const CRASHED = 'The sandbox crashed (its process stopped answering, often because it ran out of memory). Your code is safe in the editor.';
let launched: LaunchedBrowser;
let cp: CellPage;
let raw: RawPage;
let pageErrors: string[];

beforeAll(async () => {
  launched = await launchBrowser();
  cp = await openCell(launched, baseUrl);
  pageErrors = watchPageErrors(cp.page);
  raw = await RawPage.open(launched, cp.page);
});
afterAll(async () => {
  await raw?.detach();
  await launched?.close();
});

const js = JSON.stringify;
const cell = `document.querySelector(${js(CELL)})`;
const runs = () => raw.evaluate<string>(`${cell}.dataset.runs`);
const status = () => raw.evaluate<string>(`${cell}.dataset.runStatus`);
const paneText = () => raw.evaluate<string>(`${cell}.querySelector('[role=log]').innerText`);
const shownCode = () =>
  raw.evaluate<string>(`[...${cell}.querySelectorAll('.view-line')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((l) => l.textContent.replace(/\\u00a0/g, ' ')).join('\\n')`);
const savedDraft = () => raw.evaluate<string | undefined>(`JSON.parse(localStorage.getItem(${js(DRAFT_KEY)}) ?? '{}').code`);

/** Types new code into main.ts and waits until it shows and is saved as the draft. */
async function typeCode(code: string): Promise<void> {
  await raw.replaceEditorText(`${CELL} .monaco-editor`, code);
  await raw.waitFor(`JSON.parse(localStorage.getItem(${js(DRAFT_KEY)}) ?? '{}').code === ${js(code)}`, 5_000);
  expect(await shownCode()).toBe(code);
}

/** Clicks Run Code through the page itself and waits until that run has started. */
async function clickRun(): Promise<number> {
  const next = Number(await runs()) + 1;
  await raw.evaluate(`[...${cell}.querySelectorAll('button')].find((b) => /^(Run Code|Run again)$/.test(b.textContent)).click()`);
  await raw.waitFor(`${cell}.dataset.runs === ${js(String(next))}`, 5_000);
  return next;
}

/** After a crash: the student is told, the page answers, a new sandbox warms up and nothing runs by itself. */
async function expectRecoveredFromCrash(runsBefore: string, withinMs: number): Promise<void> {
  const started = Date.now();
  await raw.waitFor(`${cell}.dataset.runStatus === 'failed' && ${cell}.querySelector('[role=log]').innerText.includes(${js(CRASHED)})`, withinMs);
  expect(Date.now() - started).toBeLessThan(withinMs);
  expect(await raw.roundTripMs()).toBeLessThan(500);
  await raw.waitFor(`/^Ready · /.test(${cell}.querySelector('[data-phase]').textContent)`, 60_000);
  // The page does not run the code that was running at the crash again by itself.
  expect(await runs()).toBe(runsBefore);
  expect(await status()).toBe('failed');
}

async function expectRunWorks(code: string, line: string): Promise<void> {
  await typeCode(code);
  await clickRun();
  await raw.waitFor(`${cell}.dataset.runStatus === 'finished'`, 30_000);
  expect(await paneText()).toMatch(new RegExp(`^${line}$`, 'm'));
}

describe('the sandbox process dies mid-run', () => {
  it('when killed: the student is told, the page and the edits survive, nothing reruns, and Run works again', async () => {
    const code = "// my work, written before the crash\nconsole.log('spinning');\nwhile (true) {}";
    await setCode(cp, code);
    await startRun(cp);
    await cp.cell.getByRole('log').getByText('spinning').waitFor();
    await raw.waitFor(`JSON.parse(localStorage.getItem(${js(DRAFT_KEY)}) ?? '{}').code === ${js(code)}`, 5_000);
    const runsBefore = await runs();

    await crashSandboxProcess(launched);
    // Pings go unanswered for 10 s before the host gives up on the frame.
    await expectRecoveredFromCrash(runsBefore, 20_000);
    expect(await shownCode()).toBe(code);
    expect(await savedDraft()).toBe(code);
    await expectRunWorks("console.log('after the crash');", 'after the crash');
  });

  it('when it runs out of memory: the same message, and Run works again', async () => {
    await typeCode("const hoard: number[][] = [];\nconsole.log('allocating');\nwhile (true) hoard.push(new Array(10_000_000).fill(0.5));");
    const started = await clickRun();
    await raw.waitFor(`${cell}.querySelector('[role=log]').innerText.includes('allocating')`, 10_000);
    await expectRecoveredFromCrash(String(started), 120_000);
    await expectRunWorks("console.log('after running out of memory');", 'after running out of memory');
  });

  it('a new visit to the page after the crashes shows the last edit and runs nothing by itself', async () => {
    const fresh = await openCell(launched, baseUrl);
    expect(await editorText(fresh.cell)).toBe("console.log('after running out of memory');");
    expect(await fresh.cell.getAttribute('data-runs')).toBe('0');
    expect(await fresh.cell.getAttribute('data-run-status')).toBe('idle');
    await fresh.page.close();
    expect(pageErrors).toEqual([]);
  });
});
