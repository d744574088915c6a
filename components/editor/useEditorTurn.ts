'use client';

import { useEffect, useState, type RefObject } from 'react';

/**
 * When a cell's Monaco editor may mount. Every editor costs main-thread time and a model in the
 * TypeScript worker, and a lesson page has a dozen cells, so mounting them all at once delays the
 * first one a student can use. Editors on or near the screen mount at once; the others mount one per
 * idle period afterwards, so every editor is there by the time the student scrolls to it.
 */
const NEAR_SCREEN = '600px';
const waiting: (() => void)[] = [];
let draining = false;

function drain(): void {
  if (draining) return;
  draining = true;
  const next = () => {
    const mount = waiting.shift();
    if (!mount) {
      draining = false;
      return;
    }
    mount();
    if (typeof requestIdleCallback === 'function') requestIdleCallback(next, { timeout: 1000 });
    else setTimeout(next, 50);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(next, { timeout: 2000 });
  else setTimeout(next, 200);
}

/** True once the element's editor should mount (and from then on). */
export function useEditorTurn(element: RefObject<HTMLElement | null>): boolean {
  const [turn, setTurn] = useState(false);
  useEffect(() => {
    const target = element.current;
    if (!target || typeof IntersectionObserver === 'undefined') {
      setTurn(true);
      return;
    }
    let done = false;
    const mount = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      const i = waiting.indexOf(mount);
      if (i >= 0) waiting.splice(i, 1);
      setTurn(true);
    };
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && mount(), { rootMargin: NEAR_SCREEN });
    observer.observe(target);
    waiting.push(mount);
    drain();
    return () => {
      done = true;
      observer.disconnect();
      const i = waiting.indexOf(mount);
      if (i >= 0) waiting.splice(i, 1);
    };
  }, [element]);
  return turn;
}
