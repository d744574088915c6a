import { describe, expect, it } from 'vitest';
import { runAnnouncement } from '@/components/cell/runAnnouncement';
import { initialRunState, type OutputItem, type RunState } from '@/runtime';

const log = (text: string): OutputItem => ({ kind: 'console', entry: { kind: 'log', level: 'log', args: [{ k: 'string', v: text }] } });
const typeError: OutputItem = {
  kind: 'error',
  error: { origin: 'top-level', name: 'TypeError', message: 'x is not a function', isError: true, stack: [], location: { line: 3, column: 5 } },
};
const run = (state: Partial<RunState>): RunState => ({ ...initialRunState, runs: 1, runId: 'r1', ...state });

describe('what a screen reader hears about a run', () => {
  it('says nothing before the first run, and that a run started', () => {
    expect(runAnnouncement(initialRunState)).toBe('');
    expect(runAnnouncement(run({ status: 'compiling', runId: undefined }))).toBe('Run started.');
    expect(runAnnouncement(run({ status: 'running' }))).toBe('Run started.');
  });

  it('does not change while output streams in, whatever its amount: one announcement, not one per line', () => {
    const few = runAnnouncement(run({ status: 'running', head: [log('a')] }));
    const flood = runAnnouncement(run({ status: 'running', head: Array.from({ length: 500 }, (_, i) => log(`line ${i}`)), omitted: 99_000, tail: [log('last')] }));
    expect(flood).toBe(few);
  });

  it('names the first error as soon as there is one, and says how the run ended', () => {
    expect(runAnnouncement(run({ status: 'running', head: [log('a'), typeError, typeError] }))).toBe('Run started. Error: TypeError: x is not a function, at line 3.');
    expect(runAnnouncement(run({ status: 'finished', durationMs: 84, head: [log('a'), log('b')] }))).toBe('Run finished in 84 milliseconds, 2 outputs.');
    expect(runAnnouncement(run({ status: 'finished', durationMs: 2500, head: [log('a')], omitted: 99_998, tail: [log('z')] }))).toBe('Run finished in 2.5 seconds, 100,000 outputs.');
    expect(runAnnouncement(run({ status: 'failed', durationMs: 12, head: [typeError] }))).toBe('Run failed after 12 milliseconds: TypeError: x is not a function, at line 3.');
    expect(runAnnouncement(run({ status: 'stopped', durationMs: 1200 }))).toBe('Run stopped after 1.2 seconds.');
    expect(runAnnouncement(run({ status: 'failed', runId: undefined, head: [{ kind: 'notice', tone: 'error', text: 'main.ts:2:16: Unexpected ";"' }] }))).toBe(
      'Run failed before it started: main.ts:2:16: Unexpected ";".',
    );
  });

  it('adds the exercise\'s verdict', () => {
    expect(runAnnouncement(run({ status: 'finished', durationMs: 5, check: { passed: true, problems: [] } }))).toMatch(/Exercise passed/);
    expect(runAnnouncement(run({ status: 'finished', durationMs: 5, check: { passed: false, problems: ['block3_pw is still trainable.', 'b'] } }))).toMatch(
      /Exercise not passed yet: the check found 2 things to fix\. block3_pw is still trainable\.$/,
    );
  });
});
