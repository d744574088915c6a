import type { OutputItem, RunError, RunState } from '@/runtime';

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} milliseconds` : `${(ms / 1000).toFixed(1)} seconds`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function errorText(error: RunError): string {
  const headline = error.isError ? `${error.name}: ${error.message}` : `uncaught ${error.name}`;
  return error.location ? `${headline}, at line ${error.location.line}` : headline;
}

function firstError(items: readonly OutputItem[]): string | undefined {
  for (const item of items) if (item.kind === 'error') return errorText(item.error);
  return undefined;
}

function lastErrorNotice(items: readonly OutputItem[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === 'notice' && item.tone === 'error') return item.text;
  }
  return undefined;
}

function verdict(check: RunState['check']): string {
  if (!check) return '';
  if (check.passed) return ' Exercise passed: the check found nothing to fix.';
  return ` Exercise not passed yet: the check found ${plural(check.problems.length, 'thing')} to fix. ${check.problems[0] ?? ''}`;
}

/**
 * What a screen reader hears about a run: that it started, how it ended (with the first error and
 * the exercise's verdict), never the output line by line. The text changes only at those moments, so
 * a flood of output is one announcement, not thousands.
 */
export function runAnnouncement(state: RunState): string {
  const items = [...state.head, ...state.tail];
  const outputs = plural(state.head.length + state.omitted + state.tail.length, 'output');
  switch (state.status) {
    case 'idle':
      return '';
    case 'compiling':
    case 'starting':
    case 'running': {
      const error = firstError(items);
      return error ? `Run started. Error: ${error}.` : 'Run started.';
    }
    case 'stopping':
      return 'Run stopping.';
    case 'finished':
      return `Run finished in ${seconds(state.durationMs ?? 0)}, ${outputs}.${verdict(state.check)}`;
    case 'stopped':
      return `Run stopped after ${seconds(state.durationMs ?? 0)}.`;
    case 'failed': {
      if (state.runId === undefined) return `Run failed before it started: ${lastErrorNotice(items) ?? 'see the output'}.`;
      const reason = firstError(items) ?? lastErrorNotice(items) ?? 'see the output';
      return `Run failed after ${seconds(state.durationMs ?? 0)}: ${reason}.${verdict(state.check)}`;
    }
  }
}
