import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

const backbone = await lesson.loadModel('fashion-cnn');

// A model for the four new clothing classes: the backbone up to its feature layer, then a new 4-way head.
const features = backbone.getLayer('gap').output as tf.SymbolicTensor;
const clothesHead = tf.layers.dense({ units: 4, activation: 'softmax', name: 'clothes_head' });
export const model = tf.model({ inputs: backbone.inputs, outputs: clothesHead.apply(features) as tf.SymbolicTensor });

// General features (stem, blocks 1-4) stay as they are; block 5 and the head adapt to the new classes.
for (const layer of model.layers) {
  layer.trainable = layer.name.startsWith('block5_') || layer.name === 'clothes_head';
}

// compile() after changing `trainable`: training uses what was trainable when the model was compiled.
model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.read().size, 0);
console.log(`trainable parameters: ${count(model.trainableWeights)}, frozen: ${count(model.nonTrainableWeights)}`);
for (const layer of model.layers) if (layer.weights.length > 0) console.log(`${layer.name}: ${layer.trainable ? 'trainable' : 'frozen'}`);
