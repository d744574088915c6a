import { isSandboxBackend, type SandboxBackend } from '../protocol';

/**
 * The backend a lesson page's address asks for: `?backend=webgl`, `wasm` or `cpu` runs every cell
 * of the page on that TensorFlow.js backend instead of the fastest one the sandbox finds (browser
 * tests force WebGL with it; a curious student can compare). Anything else is ignored, so a
 * mistyped address still gives a working page.
 */
export function requestedBackend(search: string): SandboxBackend | undefined {
  const value = new URLSearchParams(search).get('backend')?.trim().toLowerCase();
  return isSandboxBackend(value) ? value : undefined;
}
