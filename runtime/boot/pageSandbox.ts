import type { LessonAssets } from '../lessonAssets';
import { PROTOCOL_VERSION } from '../protocol';
import type { SandboxHost } from '../host/SandboxHost';

/**
 * The page's sandbox is started by a script of its own (runtime/boot/bootSandbox.ts, built to
 * `_gen/sandbox/boot.js`), which the lesson page loads at the top of <body>, before React: the sandbox
 * downloads TensorFlow.js, starts its worker and loads the lesson's models while the page's own
 * scripts are still arriving and hydrating. The runtime adopts that sandbox from this global.
 */
export const PAGE_SANDBOX_GLOBAL = '__courseSandbox__';

/** What the boot script reads from its `data-config` attribute. */
export interface SandboxBootConfig {
  /** The path the site is served under ('' at a host's root). */
  base: string;
  /** The models and data sets of the page's lesson, which the sandbox preloads. */
  lesson: LessonAssets;
}

/** Where the boot script is served, under the site's base path. */
export function bootScriptUrl(base: string): string {
  return `${base}/_gen/sandbox/boot.js`;
}

/** What the boot script leaves on the window: the protocol it speaks, and the started sandbox or why there is none. */
type PageSandbox = { v: number } & ({ host: SandboxHost } | { problem: string });

export function publishPageSandbox(sandbox: { host: SandboxHost } | { problem: string }): void {
  const published: PageSandbox = { v: PROTOCOL_VERSION, ...sandbox };
  Object.defineProperty(window, PAGE_SANDBOX_GLOBAL, { value: published, configurable: false, enumerable: false, writable: false });
}

/**
 * The sandbox the boot script started, or why there is none: the script did not load (a failed
 * download), or it came from another deployment than the page's own scripts.
 */
export function pageSandbox(): { host: SandboxHost } | { problem: string } {
  const published = (window as unknown as Record<string, unknown>)[PAGE_SANDBOX_GLOBAL] as PageSandbox | undefined;
  if (!published) return { problem: 'its start-up script did not load. Check your connection and reload the page.' };
  if (published.v !== PROTOCOL_VERSION) return { problem: 'the page and its sandbox come from two versions of the course. Reload the page.' };
  return 'host' in published ? { host: published.host } : { problem: published.problem };
}
