'use client';

import { useSyncExternalStore } from 'react';
import { decodeShareFragment, type ShareDecoding } from './shareLink';

/** The page's share link, read from its address: what the student opened, until they keep it or go back. */

const NONE: ShareDecoding = { kind: 'none' };
const listeners = new Set<() => void>();
let cached: { hash: string; decoded: ShareDecoding } | undefined;

function current(): ShareDecoding {
  const { hash } = window.location;
  if (cached?.hash !== hash) cached = { hash, decoded: decodeShareFragment(hash) };
  return cached.decoded;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // A link pasted into the address bar of the same page only changes the fragment.
  window.addEventListener('hashchange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('hashchange', listener);
  };
}

/** What the page's address shares; `none` on the server and before hydration. */
export function useSharedLink(): ShareDecoding {
  return useSyncExternalStore(subscribe, current, () => NONE);
}

/** The shared code when the address opens this cell, else null. */
export function useSharedCode(cell: string): string | null {
  const shared = useSharedLink();
  return shared.kind === 'cell' && shared.cell === cell ? shared.code : null;
}

/** Drops the share fragment from the address (a reload then shows the student's own code) and tells the page. */
export function endSharedLink(): void {
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  for (const listener of [...listeners]) listener();
}

/** A link to this page that opens `fragment`. */
export function linkToThisPage(fragment: string): string {
  return `${window.location.origin}${window.location.pathname}#${fragment}`;
}
