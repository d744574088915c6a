import { Inflate, strToU8, zlibSync } from 'fflate';

/**
 * A cell's code in a link: `#share=1.<cell id>.<code>`, the code zlib-compressed (deflate with an
 * Adler-32 checksum, so a changed character is noticed) and base64url-encoded. It
 * lives in the fragment, which browsers never send to a server, so the code stays between the two
 * students. Everything read from a link is checked here.
 */

export const SHARE_VERSION = 1;
const PREFIX = 'share=';
/** Longer links are cut by some mail and chat programs; "Download my work" is the way for such code. */
export const MAX_SHARE_FRAGMENT_CHARS = 8_000;
/** A decoded link never yields more than this, however well it compresses. */
export const MAX_SHARED_CODE_BYTES = 200_000;
const CELL_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type ShareEncoding = { ok: true; fragment: string } | { ok: false; message: string };

/** The fragment (without `#`) that opens `cell` with `code`, or why the code cannot go in a link. */
export function encodeShareFragment(cell: string, code: string): ShareEncoding {
  if (!CELL_ID.test(cell)) return { ok: false, message: `The cell id "${cell}" cannot go in a link.` };
  const bytes = strToU8(code);
  if (bytes.byteLength > MAX_SHARED_CODE_BYTES) return { ok: false, message: tooLong(`${kilobytes(bytes.byteLength)} of code`) };
  const fragment = `${PREFIX}${SHARE_VERSION}.${cell}.${toBase64Url(zlibSync(bytes, { level: 9 }))}`;
  if (fragment.length > MAX_SHARE_FRAGMENT_CHARS) return { ok: false, message: tooLong(`a link of ${fragment.length.toLocaleString('en-US')} characters`) };
  return { ok: true, fragment };
}

const tooLong = (what: string) =>
  `This code is too long to share as a link (${what}; links longer than ${MAX_SHARE_FRAGMENT_CHARS.toLocaleString('en-US')} characters get cut by mail and chat programs). Use "Download my work" in the lesson's sidebar to pass it on as a file.`;

export type ShareDecoding = { kind: 'none' } | { kind: 'cell'; cell: string; code: string } | { kind: 'problem'; message: string };

const damaged = (): ShareDecoding => ({
  kind: 'problem',
  message: 'This link should open shared code, but the code in it is damaged or incomplete (links are often cut off when copied). Ask for the link again. Your own code is unchanged.',
});

/** Reads a location's fragment (`#...` or without `#`): not a share link, a shared cell, or why the link cannot be used. */
export function decodeShareFragment(hash: string): ShareDecoding {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith(PREFIX)) return { kind: 'none' };
  if (fragment.length > MAX_SHARE_FRAGMENT_CHARS + 100) {
    return {
      kind: 'problem',
      message: `This link is too long to hold a shared cell (${fragment.length.toLocaleString('en-US')} characters; a "Copy link" link has at most ${MAX_SHARE_FRAGMENT_CHARS.toLocaleString('en-US')}). Nothing was opened and your own code is unchanged.`,
    };
  }
  const [version, cell, payload, ...rest] = fragment.slice(PREFIX.length).split('.');
  if (version === undefined || !/^\d{1,6}$/.test(version)) return damaged();
  if (Number(version) > SHARE_VERSION) {
    return { kind: 'problem', message: 'This link was made by a newer version of the course. Reload the page to get the latest version, then open the link again. Your own code is unchanged.' };
  }
  if (Number(version) !== SHARE_VERSION || cell === undefined || !CELL_ID.test(cell) || payload === undefined || rest.length > 0 || !BASE64URL.test(payload)) return damaged();

  let bytes: Uint8Array;
  try {
    bytes = unzlibAtMost(fromBase64Url(payload), MAX_SHARED_CODE_BYTES);
  } catch (error) {
    if (error instanceof TooLarge) {
      return { kind: 'problem', message: `The code in this link is larger than ${kilobytes(MAX_SHARED_CODE_BYTES)}, more than any cell holds, so it was not opened. Your own code is unchanged.` };
    }
    return damaged();
  }
  try {
    return { kind: 'cell', cell, code: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return damaged();
  }
}

class TooLarge extends Error {}

/**
 * Decompresses zlib data, stopping as soon as the output would pass `limit` bytes (a small link can
 * expand enormously), and checks its Adler-32 checksum (fflate does not).
 */
function unzlibAtMost(data: Uint8Array, limit: number): Uint8Array {
  const [cmf = 0, flg = 0] = data;
  if (data.byteLength < 6 || (cmf & 0x0f) !== 8 || (cmf * 256 + flg) % 31 !== 0 || flg & 0x20) throw new Error('not zlib data');
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.byteLength;
    if (total > limit) throw new TooLarge();
    chunks.push(chunk);
    if (final) ended = true;
  });
  inflater.push(data.subarray(2, -4), true);
  if (!ended) throw new Error('the deflate stream did not end');
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const expected = new DataView(data.buffer, data.byteOffset + data.byteLength - 4, 4).getUint32(0);
  if (adler32(out) !== expected) throw new Error('checksum mismatch');
  return out;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // Sums stay exact in doubles for blocks of 5552 bytes, zlib's own NMAX, before the modulo.
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(bytes.length, start + 5552);
    for (let i = start; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function kilobytes(bytes: number): string {
  return `${Math.round(bytes / 1000).toLocaleString('en-US')} KB`;
}
