import type * as TF from '@tensorflow/tfjs';
import type * as Lesson from 'lesson';
import type { Display, SavedModel } from '../../protocol';
import { createLessonCore, type LessonCoreDeps } from './core';
import { createDisplayHelpers } from './display';
import { deserializeModel } from './modelIo';

export interface LessonModuleDeps extends LessonCoreDeps {
  show(display: Display): void;
}

/** The lesson helper module as cells see it (`import * as lesson from 'lesson'`), for one run. */
export function createLessonModule(deps: LessonModuleDeps): typeof Lesson {
  return { ...createLessonCore(deps), ...createDisplayHelpers(deps.tf, deps.show) };
}

/**
 * Deserializes every model the lesson declares and runs each once on zeros, so that its weights are
 * in memory and its kernels (or shaders) compiled before the first Run. A model that does not load is
 * left out: the cell that asks for it gets the reason from loadModel.
 */
export async function warmModels(tf: typeof TF, models: Record<string, SavedModel | { error: string }>): Promise<Map<string, TF.LayersModel>> {
  const warm = new Map<string, TF.LayersModel>();
  for (const [name, saved] of Object.entries(models)) {
    if ('error' in saved) continue;
    try {
      const model = await deserializeModel(tf, saved);
      tf.tidy(() => {
        const outputs = model.predict(model.inputs.map((input) => tf.zeros(input.shape.map((d) => d ?? 1))));
        for (const output of Array.isArray(outputs) ? outputs : [outputs]) output.dataSync();
      });
      warm.set(name, model);
    } catch {
      // loadModel deserializes it again in the run and reports what is wrong there.
    }
  }
  return warm;
}
