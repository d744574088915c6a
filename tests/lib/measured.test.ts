import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenClaims, readMeasured, type MeasuredClaim } from '@/lib/lessons/measured';

const figure = (value: number) => ({ cell: 'c', pattern: 'x ([\\d.]+)', value, tolerance: 1 });

function lessonDirWith(file: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'measured-'));
  writeFileSync(path.join(dir, 'measured.json'), JSON.stringify(file));
  return dir;
}

describe('claims about measured figures', () => {
  const claims: MeasuredClaim[] = [
    { says: 'feature extraction reaches 90%', figure: 'fe', atLeast: 90 },
    { says: 'transfer wins by 20 points', figure: 'fe', minus: 'scratch', atLeast: 20 },
  ];

  it('holds when every figure clears its bar, the bar itself included', () => {
    expect(brokenClaims(claims, { fe: 90, scratch: 70 })).toEqual([]);
  });

  it('names the claim, the figures and the bar when a run falls short', () => {
    expect(brokenClaims(claims, { fe: 89.5, scratch: 75 })).toEqual([
      '"feature extraction reaches 90%": fe is 89.5, below 90',
      '"transfer wins by 20 points": fe − scratch is 89.5 − 75 = 14.5, below 20',
    ]);
  });

  it('fails a claim whose figure the run did not print', () => {
    expect(brokenClaims(claims.slice(1), { fe: 95 })).toEqual(['"transfer wins by 20 points": the run printed no scratch']);
  });

  it('are read with the figures, and a claim naming no figure is an error', () => {
    const ok = { measuredOn: 'here', figures: { fe: figure(92), scratch: figure(40) }, claims };
    expect(readMeasured(lessonDirWith(ok))?.claims).toEqual(claims);
    const typo = { ...ok, claims: [{ says: 'wins', figure: 'fe', minus: 'scracth', atLeast: 20 }] };
    expect(() => readMeasured(lessonDirWith(typo))).toThrow('claim 1 ("wins") names "scracth", which is not a figure');
    const noBar = { ...ok, claims: [{ says: 'wins', figure: 'fe' }] };
    expect(() => readMeasured(lessonDirWith(noBar))).toThrow('claim 1 needs says (text), figure (a name), atLeast (a number)');
  });
});
