/**
 * The boot script (built to `_gen/sandbox/boot.js`): a classic, parser-blocking script the lesson page
 * puts at the top of <body>, so it runs while the page is still parsing, before any of the page's React
 * code. It starts the page's sandbox at once (see pageSandbox.ts); the runtime adopts it when the page
 * has hydrated. (Inline, it would also travel in the page's React payload, 90 KB more per page.)
 */
import { parseBootConfig } from './bootConfig';
import { publishPageSandbox } from './pageSandbox';
import { sandboxFiles } from '../host/assets';
import { requestedBackend } from '../host/requestedBackend';
import { SandboxHost } from '../host/SandboxHost';

/** The sandbox frame's script (runtime/sandbox/frame.ts, bundled), put here by scripts/build-assets.mjs. */
declare const SANDBOX_FRAME_SCRIPT: string;

const config = parseBootConfig(document.currentScript?.getAttribute('data-config'));
if (config instanceof Error) {
  // The cells say so where the student sees it, from this; the console has the detail.
  console.error(config);
  publishPageSandbox({ problem: `the page is broken (${config.message}). Reload the page; if that does not help, the course needs fixing.` });
} else {
  const host = new SandboxHost({ ...sandboxFiles(config.base), frameScript: SANDBOX_FRAME_SCRIPT, lesson: config.lesson }, { backend: requestedBackend(location.search) });
  host.start();
  publishPageSandbox({ host });
}
