import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

/** "backbone-half" saved at float16 and loaded back as a separate model that predicts the same. */
export default async function check({ original, reloaded }: Record<string, unknown>): Promise<string[]> {
  if (!(original instanceof tf.LayersModel) || !(reloaded instanceof tf.LayersModel)) return ['Export both models, `original` and `reloaded`.'];
  if (reloaded === original) return ['reloaded is the very same object as original: save it with lesson.saveModel(original, "backbone-half", { precision: "float16" }) and load a copy with lesson.loadSavedModel("backbone-half").'];
  if (!lesson.savedModelNames().includes('backbone-half')) return ['Nothing is saved under the name "backbone-half" yet: call lesson.saveModel(original, "backbone-half", { precision: "float16" }).'];
  const stored = await lesson.loadSavedModel('backbone-half');
  const problems: string[] = [];
  const exact = stored.getWeights().every((w, i) => tf.tidy(() => w.sub(original.getWeights()[i]!).abs().max().dataSync()[0] === 0));
  if (exact) problems.push('"backbone-half" holds the weights exactly, so it was saved at full precision: pass { precision: "float16" } to saveModel.');
  const inputs = tf.randomUniform([4, 28, 28, 1]);
  const drift = tf.tidy(() => (original.predict(inputs) as tf.Tensor).sub(reloaded.predict(inputs) as tf.Tensor).abs().max().dataSync()[0]!);
  inputs.dispose();
  if (drift > 0.01) problems.push(`reloaded predicts differently from original (by up to ${drift.toFixed(3)}): load the model you saved, "backbone-half".`);
  return problems;
}
