import * as tf from '@tensorflow/tfjs';

const GENERAL = /^(stem_|block[1-4]_)/;
const ADAPTED = /^block5_/;

/** Stem and blocks 1-4 frozen, block 5 and the head trainable, and compiled that way. */
export default function check({ model }: Record<string, unknown>): string[] {
  if (!(model instanceof tf.LayersModel)) return ['Export the model: `export const model = tf.model({ ... })`.'];
  const withWeights = model.layers.filter((layer) => layer.weights.length > 0);
  const stillTrainable = withWeights.filter((layer) => GENERAL.test(layer.name) && layer.trainable).map((layer) => layer.name);
  const frozenTooMuch = withWeights.filter((layer) => !GENERAL.test(layer.name) && !layer.trainable).map((layer) => layer.name);
  const problems: string[] = [];
  if (stillTrainable.length > 0) {
    problems.push(`${stillTrainable.slice(0, 4).join(', ')}${stillTrainable.length > 4 ? ` and ${stillTrainable.length - 4} more` : ''} ${stillTrainable.length === 1 ? 'is' : 'are'} still trainable: the stem and blocks 1-4 hold general features; set their layers' trainable to false.`);
  }
  for (const name of frozenTooMuch) {
    problems.push(ADAPTED.test(name) ? `${name} is frozen, but block 5 is the part to fine-tune: leave it trainable.` : `${name} is frozen: a new head that cannot train learns nothing.`);
  }
  if (problems.length > 0) return problems;
  // fit() trains the weights collected by the last compile(), whatever `trainable` says now.
  const collected = Reflect.get(model, 'collectedTrainableWeights') as unknown[] | undefined;
  if (!model.optimizer || !collected) problems.push('Compile the model (model.compile) after freezing, so it can train.');
  else if (collected.length !== model.trainableWeights.length) {
    problems.push(`The model was compiled before the freezing: compile() again after changing trainable, or fit() will still train ${collected.length} weight tensors instead of ${model.trainableWeights.length}.`);
  }
  return problems;
}
