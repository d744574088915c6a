import * as tf from '@tensorflow/tfjs';

/** Block 5 unfrozen and fine-tuned with a low learning rate, without losing what the head reached. */
export default function check({ model, learningRate, headOnlyAccuracy, fineTunedAccuracy }: Record<string, unknown>): string[] {
  if (!(model instanceof tf.LayersModel)) return ['Export the fine-tuned model as `model`.'];
  const problems: string[] = [];
  const rate = Number((model.optimizer?.getConfig() as { learningRate?: unknown } | undefined)?.learningRate);
  if (!Number.isFinite(rate)) problems.push('Compile the model with an optimizer before fine-tuning.');
  else if (rate > 1e-3) {
    problems.push(`The optimizer's learning rate is ${rate}, the rate for training a fresh head. Pretrained weights need 10 to 100 times less (try 1e-4), or the first large updates overwrite the features you meant to keep.`);
  }
  if (learningRate !== rate) problems.push(`learningRate (${String(learningRate)}) is not the rate the model was compiled with (${rate}): pass learningRate to the optimizer.`);
  const block5 = model.layers[0]?.trainable;
  if (!block5) problems.push('Block 5 is frozen: set top.trainable = true before compiling, or fine-tuning changes nothing but the head.');
  if (typeof headOnlyAccuracy === 'number' && typeof fineTunedAccuracy === 'number' && fineTunedAccuracy < headOnlyAccuracy - 0.02) {
    problems.push(`Fine-tuning lowered test accuracy from ${(100 * headOnlyAccuracy).toFixed(1)}% to ${(100 * fineTunedAccuracy).toFixed(1)}%: the updates were too large for the pretrained weights.`);
  }
  return problems;
}
