import { strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_SHARE_FRAGMENT_CHARS, decodeShareFragment, encodeShareFragment } from '@/components/share/shareLink';

const CODE = "import * as tf from '@tensorflow/tfjs';\n// é, 日本語 and an emoji 🧠 survive\nconsole.log(tf.tensor([1, 2, 3]).sum().dataSync());\n";

function fragmentOf(cell: string, code: string): string {
  const encoded = encodeShareFragment(cell, code);
  if (!encoded.ok) throw new Error(encoded.message);
  return encoded.fragment;
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const changedCharacter = (text: string, at: number) => text.slice(0, at) + (text[at] === 'Q' ? 'R' : 'Q') + text.slice(at + 1);

describe('share links', () => {
  it('round-trips a cell and its code through the fragment, with or without "#"', () => {
    const fragment = fragmentOf('first-tensor', CODE);
    expect(fragment).toMatch(/^share=1\.first-tensor\.[A-Za-z0-9_-]+$/);
    expect(decodeShareFragment(fragment)).toEqual({ kind: 'cell', cell: 'first-tensor', code: CODE });
    expect(decodeShareFragment(`#${fragment}`)).toEqual({ kind: 'cell', cell: 'first-tensor', code: CODE });
    expect(decodeShareFragment(fragmentOf('c', ''))).toEqual({ kind: 'cell', cell: 'c', code: '' });
  });

  it('compresses: a typical cell gives a link far shorter than its code', () => {
    const code = Array.from({ length: 60 }, (_, i) => `const layer${i} = model.getLayer('block${i % 5}_conv');`).join('\n');
    expect(fragmentOf('first-tensor', code).length).toBeLessThan(code.length / 3);
  });

  it('leaves other fragments alone: headings and empty ones are not share links', () => {
    expect(decodeShareFragment('')).toEqual({ kind: 'none' });
    expect(decodeShareFragment('#')).toEqual({ kind: 'none' });
    expect(decodeShareFragment('#which-layers-to-unfreeze')).toEqual({ kind: 'none' });
    expect(decodeShareFragment('#exercise-odd-or-even')).toEqual({ kind: 'none' });
  });

  it('refuses to make a link for code that would not survive mail and chat programs, and says what to do instead', () => {
    // Random-looking text barely compresses.
    let seed = 7;
    const noise = Array.from({ length: 12_000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
    const encoded = encodeShareFragment('first-tensor', noise);
    expect(encoded.ok).toBe(false);
    expect(!encoded.ok && encoded.message).toMatch(/too long to share as a link.*Download my work/);
    expect(encodeShareFragment('first-tensor', 'x'.repeat(300_000))).toMatchObject({ ok: false, message: expect.stringMatching(/300 KB of code/) });
    expect(encodeShareFragment('../etc', 'x')).toMatchObject({ ok: false });
  });

  it('says a link is damaged when it was cut off, mangled or is not base64', () => {
    const fragment = fragmentOf('first-tensor', CODE);
    for (const bad of [
      fragment.slice(0, fragment.length - 12), // cut off when copied
      changedCharacter(fragment, fragment.length - 20), // one character changed
      changedCharacter(fragment, fragment.length - 3), // in the checksum
      'share=1.first-tensor.not*base64',
      'share=1.first-tensor.',
      'share=1.first-tensor',
      'share=1',
      'share=',
      'share=x.first-tensor.AAAA',
      'share=0.first-tensor.AAAA',
      'share=1.../etc/passwd.AAAA',
      'share=1.first-tensor.AAAA.extra',
      `share=1.first-tensor.${base64url(zlibSync(new Uint8Array([0xff, 0xfe, 0xc0])))}`, // not UTF-8
    ]) {
      const decoded = decodeShareFragment(bad);
      expect(decoded, bad).toMatchObject({ kind: 'problem', message: expect.stringMatching(/damaged or incomplete.*Your own code is unchanged/) });
    }
  });

  it('refuses oversized links, including small ones that inflate enormously', () => {
    const long = `share=1.first-tensor.${'A'.repeat(MAX_SHARE_FRAGMENT_CHARS + 200)}`;
    expect(decodeShareFragment(long)).toMatchObject({ kind: 'problem', message: expect.stringMatching(/too long to hold a shared cell/) });
    const bomb = zlibSync(strToU8(' '.repeat(5_000_000)), { level: 9 });
    const fragment = `share=1.first-tensor.${base64url(bomb)}`;
    expect(fragment.length).toBeLessThan(MAX_SHARE_FRAGMENT_CHARS);
    expect(decodeShareFragment(fragment)).toMatchObject({ kind: 'problem', message: expect.stringMatching(/larger than 200 KB/) });
  });

  it('asks for a reload when the link comes from a newer version of the course', () => {
    expect(decodeShareFragment('share=2.first-tensor.AAAA')).toMatchObject({ kind: 'problem', message: expect.stringMatching(/newer version of the course/) });
  });
});
