import type { Locator, Page } from 'playwright-core';

/*
 * Driving a lesson page's cells from outside, as a student would: shared by the browser tests
 * (tests/e2e/cells.ts adds the helpers that need vitest), `npm run cell` and `npm run soak`.
 */

export const LESSON_PAGE = '/transfer-learning/transfer-learning/';
/** Cold start of a lesson page on a 2-core machine with software WebGL can take a while. */
export const READY_TIMEOUT_MS = 90_000;
export const RUN_TIMEOUT_MS = 90_000;

export interface CellPage {
  page: Page;
  cell: Locator;
}

export type EndStatus = 'finished' | 'failed' | 'stopped';

/** Clicks Run Code; resolves once this new run has started (the cell counts its runs). */
export async function startRun({ cell }: CellPage): Promise<number> {
  const before = Number(await cell.getAttribute('data-runs'));
  await cell.getByRole('button', { name: /^(Run Code|Run again)$/ }).click();
  await cell.locator(`xpath=self::*[@data-runs="${before + 1}"]`).waitFor();
  return before + 1;
}

/** Clicks Run Code and waits until that run has ended; returns how it ended. */
export async function run(cp: CellPage, timeout = RUN_TIMEOUT_MS): Promise<EndStatus> {
  await startRun(cp);
  return waitForEnd(cp.cell, timeout);
}

export async function waitForEnd(cell: Locator, timeout = RUN_TIMEOUT_MS): Promise<EndStatus> {
  const ended = cell.locator('xpath=self::*[@data-run-status="finished" or @data-run-status="failed" or @data-run-status="stopped"]');
  await ended.waitFor({ timeout });
  return (await cell.getAttribute('data-run-status')) as EndStatus;
}

/** The OUTPUT pane's text as shown. */
export function output(cell: Locator): Promise<string> {
  return cell.getByRole('log').innerText();
}

