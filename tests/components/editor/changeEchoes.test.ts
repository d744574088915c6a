import { describe, expect, it } from 'vitest';
import { ChangeEchoes } from '@/components/editor/changeEchoes';

describe('ChangeEchoes', () => {
  it('recognises a parent echoing typed text back, even a render or two behind', () => {
    const echoes = new ChangeEchoes();
    for (const text of ['t', 'tf', 'tf.']) echoes.reported(text);
    expect(echoes.isEcho('t')).toBe(true); // a stale render: must not overwrite 'tf.'
    expect(echoes.isEcho('tf.')).toBe(true); // React skipped 'tf'
    expect(echoes.isEcho('tf')).toBe(false); // settled: now it would be a real change
  });

  it('treats a value the editor never reported as a real change (e.g. Reset to the starter)', () => {
    const echoes = new ChangeEchoes();
    echoes.reported('edited');
    expect(echoes.isEcho('starter')).toBe(false);
    expect(echoes.isEcho('edited')).toBe(true);
  });

  it('forgets the oldest reports beyond its limit when nothing is echoed back', () => {
    const echoes = new ChangeEchoes(2);
    for (const text of ['a', 'b', 'c']) echoes.reported(text);
    expect(echoes.isEcho('a')).toBe(false);
    expect(echoes.isEcho('c')).toBe(true);
  });
});
