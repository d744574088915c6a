import type { Thrown } from '../protocol';
import type { WebglContext } from './backends';

/**
 * What a student reads when the browser takes the GPU away mid-run (a driver reset, the GPU process
 * crashing, too many contexts, or a cell calling WEBGL_lose_context). TensorFlow.js cannot go on: its
 * textures are gone, and reads may wait forever for a fence that will never signal.
 */
export const CONTEXT_LOST: Thrown = {
  name: 'WebGL context lost',
  message:
    'The GPU context was lost during this run, so TensorFlow.js could not go on and the run was ended. ' +
    'Your code is safe in the editor: run it again, and it starts on a fresh GPU context.',
  isError: true,
};

export interface ContextLossWatch {
  /** Whether the context is lost (already, or since the watch began). */
  lost(): boolean;
  stop(): void;
}

/** Calls `onLost` once when the sandbox's WebGL context is lost while the watch lasts. */
export function watchContextLoss(context: WebglContext | undefined, onLost: () => void): ContextLossWatch {
  if (!context) return { lost: () => false, stop() {} };
  let called = false;
  const fire = () => {
    if (called) return;
    called = true;
    onLost();
  };
  const listener = (event: Event) => {
    // As TensorFlow.js does: say we may restore it. Not that this run will; the next one uses a new worker.
    event.preventDefault();
    fire();
  };
  context.canvas.addEventListener('webglcontextlost', listener);
  return {
    lost: () => called || context.gl.isContextLost(),
    stop: () => context.canvas.removeEventListener('webglcontextlost', listener),
  };
}
