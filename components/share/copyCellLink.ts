import { encodeShareFragment } from './shareLink';
import { linkToThisPage } from './sharedLink';

export type CopyResult = { kind: 'copied'; url: string } | { kind: 'copy-by-hand'; url: string } | { kind: 'too-long'; message: string };

/**
 * Puts a link that opens `cell` with `code` on the clipboard. Where the browser refuses the clipboard
 * (no permission, an insecure page), the link is handed back for the student to copy by hand.
 */
export async function copyCellLink(cell: string, code: string): Promise<CopyResult> {
  const encoded = encodeShareFragment(cell, code);
  if (!encoded.ok) return { kind: 'too-long', message: encoded.message };
  const url = linkToThisPage(encoded.fragment);
  try {
    await navigator.clipboard.writeText(url);
    return { kind: 'copied', url };
  } catch {
    return { kind: 'copy-by-hand', url };
  }
}
