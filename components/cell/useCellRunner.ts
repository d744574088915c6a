'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { createCellRunner, getSandbox, initialRunState, warmUp, type CellRunner, type RunState, type SandboxStatus } from '@/runtime';

const idleState = initialRunState;
const idleStatus: SandboxStatus = { phase: 'idle' };
const noop = () => () => {};

/** A CellRunner for this component (browser only) and its state, re-rendered on every change. */
export function useCellRunner(timeBudgetMs: number): { runner: CellRunner | null; state: RunState } {
  const [runner, setRunner] = useState<CellRunner | null>(null);
  useEffect(() => setRunner(createCellRunner(timeBudgetMs)), [timeBudgetMs]);
  const state = useSyncExternalStore(runner?.subscribe ?? noop, runner?.getState ?? (() => idleState), () => idleState);
  return { runner, state };
}

/** The page's sandbox status (downloading, warming up, ready), starting it as soon as the page hydrates. */
export function useSandboxStatus(): SandboxStatus {
  useEffect(() => warmUp(), []);
  return useSyncExternalStore(
    (listener) => getSandbox().subscribeStatus(listener),
    () => getSandbox().getStatus(),
    () => idleStatus,
  );
}
