/**
 * Clicks on Run Code before the page has hydrated. The button is in the HTML from the start, but React
 * attaches its handler only once the page's scripts have run (seconds, on a slow machine), and a click
 * before that used to do nothing. This script, inlined in <head>, notes such clicks and marks the
 * button as waiting; the cell runs them as soon as it can (CodeCell). A button handles clicks itself
 * once it carries `data-run-ready`. The click goes no further: React, which listens on the document
 * from the moment it starts hydrating, would otherwise replay it on the hydrated button, and the cell
 * would run twice.
 */
export const EARLY_RUNS_GLOBAL = '__courseEarlyRuns';

export const earlyRunsScript = `(function(){var q=window.${EARLY_RUNS_GLOBAL}=[];document.addEventListener('click',function(e){var b=e.target&&e.target.closest&&e.target.closest('button[data-run-cell]');if(!b||b.hasAttribute('data-run-ready'))return;e.preventDefault();e.stopImmediatePropagation();var id=b.getAttribute('data-run-cell');if(q.indexOf(id)<0)q.push(id);b.setAttribute('data-queued','')},true)})()`;

/** Whether Run was clicked for this cell before it could run; forgets the click once asked. */
export function takeEarlyRun(cellId: string): boolean {
  const queue = (window as unknown as Record<string, string[] | undefined>)[EARLY_RUNS_GLOBAL];
  const at = queue?.indexOf(cellId) ?? -1;
  if (at < 0) return false;
  queue!.splice(at, 1);
  return true;
}
