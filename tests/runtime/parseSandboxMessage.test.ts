import { describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL_VERSION } from '@/runtime/protocol';
import { parseSandboxMessage } from '@/runtime/host/parseSandboxMessage';

const v = PROTOCOL_VERSION;

describe('parseSandboxMessage', () => {
  it('accepts well-formed messages of this protocol version', () => {
    const messages = [
      { type: 'sandbox/ready', v, backend: 'webgl', reason: 'WebGL on a GPU' },
      { type: 'run/started', v, runId: 'a', backend: 'cpu' },
      { type: 'console/entries', v, runId: 'a', omitted: 3, entries: [{ kind: 'log', level: 'warn', args: [{ k: 'tensor', dtype: 'float32', shape: [2], size: 2, values: { k: 'array', name: 'Array', length: 2, items: [{ k: 'number', v: '1' }, { k: 'number', v: 'NaN' }] } }] }] },
      { type: 'run/error', v, runId: 'a', origin: 'callback', error: { name: 'null', message: '', isError: false, value: { k: 'null' } } },
      { type: 'run/done', v, runId: 'a', ok: true, durationMs: 1.5, tensorsBefore: { count: 0, bytes: 0 }, tensorsAfter: { count: 1, bytes: 4 }, leakedTensors: 1 },
      { type: 'train/batch', v, runId: 'a', fitId: 1, epoch: 0, batch: 3, logs: { loss: 'NaN', acc: 0.5 } },
      { type: 'display/show', v, runId: 'a', display: { kind: 'images', width: 2, height: 2, channels: 1, pixels: new Uint8Array(8), captions: [{ label: 'a' }, { prediction: 'b', correct: false }] } },
    ];
    for (const message of messages) expect(parseSandboxMessage(message)).toEqual(message);
  });

  it.each([
    ['a wrong version', { type: 'sandbox/ready', v: 99, backend: 'webgl', reason: '' }],
    ['an unknown type', { type: 'page/navigate', v, url: 'https://example.com' }],
    ['a missing run id', { type: 'run/started', v, backend: 'cpu' }],
    ['a string that is too long', { type: 'sandbox/fatal', v, message: 'x'.repeat(LIMITS.errorChars + 1) }],
    ['too many entries', { type: 'console/entries', v, runId: 'a', omitted: 0, entries: Array.from({ length: LIMITS.entriesPerMessage + 1 }, () => ({ kind: 'log', level: 'log', args: [] })) }],
    ['an HTML-ish preview kind', { type: 'console/entries', v, runId: 'a', omitted: 0, entries: [{ kind: 'log', level: 'log', args: [{ k: 'html', v: '<img src=x onerror=alert(1)>' }] }] }],
    ['a negative count', { type: 'console/entries', v, runId: 'a', omitted: -1, entries: [] }],
    ['not an object', 'run/done'],
    ['null', null],
    ['image pixels that do not match the captions', { type: 'display/show', v, runId: 'a', display: { kind: 'images', width: 2, height: 2, channels: 1, pixels: new Uint8Array(7), captions: [{}, {}] } }],
    ['a metric that is not a number', { type: 'train/epoch', v, runId: 'a', fitId: 1, epoch: 0, logs: { loss: 'lots' } }],
  ])('rejects %s', (_, message) => {
    expect(parseSandboxMessage(message)).toBeNull();
  });
});
