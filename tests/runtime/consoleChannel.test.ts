import { describe, expect, it } from 'vitest';
import { LIMITS, type ConsoleEntry } from '@/runtime/protocol';
import { ConsoleChannel } from '@/runtime/sandbox/consoleChannel';
import { createPreviewer } from '@/runtime/sandbox/preview';

/** A channel whose clock is `clock.now` (ms), advanced by the test, and the messages it sent. */
function collect() {
  const messages: { entries: ConsoleEntry[]; omitted: number }[] = [];
  const clock = { now: 0 };
  const channel = new ConsoleChannel(createPreviewer(), (entries, omitted) => messages.push({ entries, omitted }), () => clock.now);
  return { channel, messages, clock };
}

const text = (entry: ConsoleEntry) => (entry.kind === 'log' && entry.args[0]?.k === 'string' ? entry.args[0].v : '?');

describe('ConsoleChannel', () => {
  it('sends calls in order, with their level', () => {
    const { channel, messages } = collect();
    channel.log('log', ['a', 1]);
    channel.log('warn', ['b']);
    channel.flush();
    const entries = messages.flatMap((m) => m.entries);
    expect(entries).toEqual([
      { kind: 'log', level: 'log', args: [{ k: 'string', v: 'a' }, { k: 'number', v: '1' }] },
      { kind: 'log', level: 'warn', args: [{ k: 'string', v: 'b' }] },
    ]);
  });

  it('sends occasional lines at once, so the last ones before a hang are not stuck in a buffer', () => {
    const { channel, messages } = collect();
    channel.log('log', ['before the loop']);
    channel.log('log', ['still before']);
    // No flush(): a `while (true) {}` would never let a timer fire.
    expect(messages.flatMap((m) => m.entries).map(text)).toEqual(['before the loop', 'still before']);
  });

  it('survives 100,000 lines: sends the first and last ones and counts the rest', () => {
    const { channel, messages } = collect();
    for (let i = 0; i < 100_000; i++) channel.log('log', [String(i)]);
    channel.flush();
    const entries = messages.flatMap((m) => m.entries);
    const omitted = messages.reduce((sum, m) => sum + m.omitted, 0);
    expect(entries.length + omitted).toBe(100_000);
    expect(entries.length).toBeLessThanOrEqual(LIMITS.headEntries + LIMITS.tailEntries * 200);
    expect(text(entries[0]!)).toBe('0');
    expect(text(entries[LIMITS.headEntries - 1]!)).toBe(String(LIMITS.headEntries - 1));
    expect(text(entries.at(-1)!)).toBe('99999');
    for (const m of messages) expect(m.entries.length).toBeLessThanOrEqual(LIMITS.entriesPerMessage);
  });

  it('sends a flood that goes on in a few batches a second, not a message per call', () => {
    const { channel, messages, clock } = collect();
    // 600 ms of a call every 0.05 ms: 12,000 calls.
    let i = 0;
    for (; clock.now < 600; clock.now += 0.05) channel.log('log', [String(i++)]);
    const whileFlooding = messages.length;
    channel.flush();
    // One message per call for the first ones, then a batch per flood interval (250 ms); without the
    // flood mode it was 20 messages every 40 ms, enough to keep the page busy relaying them.
    expect(whileFlooding).toBeLessThan(40);
    expect(text(messages.at(-1)!.entries.at(-1)!)).toBe(String(i - 1));
  });

  it('previews a value as it was when logged during the head of the output', () => {
    const { channel, messages } = collect();
    const value = { n: 1 };
    channel.log('log', [value]);
    value.n = 2;
    channel.flush();
    expect(messages[0]!.entries[0]).toEqual({ kind: 'log', level: 'log', args: [{ k: 'object', name: 'Object', entries: [['n', { k: 'number', v: '1' }]], more: 0 }] });
  });
});
