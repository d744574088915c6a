import * as tf from '@tensorflow/tfjs';

/** The head has one softmax output per class of the new task, and it learned the task. */
export default function check({ head, testAccuracy }: Record<string, unknown>): string[] {
  if (!(head instanceof tf.LayersModel)) return ['Export the head as a model: `export const head = tf.sequential({ ... })`.'];
  const problems: string[] = [];
  const outputs = head.outputs[0]!.shape.at(-1);
  if (outputs !== 2) problems.push(`The head has ${outputs} outputs, but garment-or-not has 2 classes: set units: 2 in its last layer.`);
  const last = head.layers.at(-1)!;
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (activation !== 'softmax') problems.push(`The head's last layer uses activation "${String(activation)}": use "softmax", so its outputs are class probabilities that add up to 1.`);
  const input = head.inputs[0]!.shape.at(-1);
  if (input !== 128) problems.push(`The head takes ${input} inputs, but the backbone's gap layer gives 128 features.`);
  if (typeof testAccuracy !== 'number') problems.push('Export testAccuracy, a number between 0 and 1.');
  else if (problems.length === 0 && testAccuracy < 0.85) {
    problems.push(`Test accuracy is ${(100 * testAccuracy).toFixed(1)}%; guessing gets 50%. Train the head with head.fit(trainFeatures, trainYs, { epochs: 40, batchSize: 16 }) to get above 85%.`);
  }
  return problems;
}
