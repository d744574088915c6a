import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

const backbone = await lesson.loadModel('fashion-cnn');

// A model for the four new clothing classes: the backbone up to its feature layer, then a new 4-way head.
const features = backbone.getLayer('gap').output as tf.SymbolicTensor;
const clothesHead = tf.layers.dense({ units: 4, activation: 'softmax', name: 'clothes_head' });
export const model = tf.model({ inputs: backbone.inputs, outputs: clothesHead.apply(features) as tf.SymbolicTensor });

// TODO: freeze the stem and blocks 1-4; keep block 5 and the new head trainable.

model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.read().size, 0);
console.log(`trainable parameters: ${count(model.trainableWeights)}, frozen: ${count(model.nonTrainableWeights)}`);
for (const layer of model.layers) if (layer.weights.length > 0) console.log(`${layer.name}: ${layer.trainable ? 'trainable' : 'frozen'}`);
