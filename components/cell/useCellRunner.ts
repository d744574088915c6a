'use client';

import { useState, useSyncExternalStore } from 'react';
import { createCellRunner, getSandbox, initialRunState, type CellRunner, type RunState, type SandboxStatus } from '@/runtime';

const idleState = initialRunState;
const idleStatus: SandboxStatus = { phase: 'idle' };
const noop = () => () => {};

/** False while React hydrates the page's HTML, true once it has (and in every render after that). */
function useHydrated(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}

/**
 * A CellRunner for this component and its state, re-rendered on every change; null until the page has
 * hydrated (the server has none), and in the render right after that already there: a Run clicked
 * before hydration starts without waiting for another render. The time budget is the cell's for its
 * whole life.
 */
export function useCellRunner(timeBudgetMs: number): { runner: CellRunner | null; state: RunState } {
  const [created] = useState(() => (typeof window === 'undefined' ? null : createCellRunner(timeBudgetMs)));
  const runner = useHydrated() ? created : null;
  const state = useSyncExternalStore(runner?.subscribe ?? noop, runner?.getState ?? (() => idleState), () => idleState);
  return { runner, state };
}

/** The page's sandbox status (downloading, warming up, ready); its boot script started it before React. */
export function useSandboxStatus(): SandboxStatus {
  return useSyncExternalStore(
    (listener) => getSandbox().subscribeStatus(listener),
    () => getSandbox().getStatus(),
    () => idleStatus,
  );
}
