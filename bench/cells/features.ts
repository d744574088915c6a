// Prints the frozen backbone's features of the training digits (bench/cells/ml.ts's workload) as one
// BENCH line, for the native PyTorch reference (bench/torch_head.py). Run on the bare page only.
import * as lesson from 'lesson';

const EXAMPLES = 1000;
const backbone = await lesson.loadModel('fashion-cnn');
const extractor = lesson.cutAt(backbone, 'gap');
const digits = await lesson.loadImages('digits', { trainPerClass: EXAMPLES / 10, validationPerClass: 0, testPerClass: 0 });
const features = await lesson.extractFeatures(extractor, digits.train.xs);
const x = (features.arraySync() as number[][]).map((row) => row.map((v) => Math.round(v * 1e5) / 1e5));
console.log(`BENCH ${JSON.stringify({ name: 'features', value: { x, y: digits.train.labels } })}`);
