import type * as TF from '@tensorflow/tfjs';
import type * as Lesson from 'lesson';
import type { Display, ImageCaption } from '../../protocol';

/** Larger images are shrunk before they are sent: the pane shows thumbnails. */
const MAX_IMAGE_SIDE = 64;
const MAX_IMAGES = 100;

type DisplayHelpers = Pick<typeof Lesson, 'showImages' | 'showConfusionMatrix' | 'showTable' | 'showChart'>;

/** The lesson module's rich output: each helper turns values into a Display the pane draws. */
export function createDisplayHelpers(tf: typeof TF, show: (display: Display) => void): DisplayHelpers {
  return {
    async showImages(images, options = {}) {
      const max = Math.min(options.max ?? 24, MAX_IMAGES);
      const batch = tf.tidy(() => {
        let t = images.rank === 3 && (images.shape[2] === 1 || images.shape[2] === 3) && options.labels === undefined ? images.expandDims(0) : images;
        if (t.rank === 3) t = t.expandDims(-1); // [n, h, w] grayscale
        if (t.rank !== 4) throw new Error(`showImages expects images shaped [n, height, width, channels]; got [${images.shape}]`);
        t = t.slice(0, Math.min(max, t.shape[0]!));
        const [, h, w] = t.shape as number[];
        if (h! > MAX_IMAGE_SIDE || w! > MAX_IMAGE_SIDE) t = tf.image.resizeBilinear(t as TF.Tensor4D, [Math.min(h!, MAX_IMAGE_SIDE), Math.min(w!, MAX_IMAGE_SIDE)]);
        const scale = t.max().dataSync()[0]! <= 1 ? 255 : 1;
        return t.mul(scale).clipByValue(0, 255).round().toInt();
      });
      const [count, height, width, channels] = batch.shape as [number, number, number, number];
      if (channels !== 1 && channels !== 3 && channels !== 4) {
        batch.dispose();
        throw new Error(`showImages shows 1, 3 or 4 channels; these images have ${channels}`);
      }
      const pixels = Uint8Array.from(await batch.data());
      batch.dispose();
      const name = (index: number | undefined) => (index === undefined ? undefined : (options.classes?.[index] ?? String(index)));
      const captions: ImageCaption[] = Array.from({ length: count }, (_, i) => {
        const label = options.labels?.[i];
        const prediction = options.predictions?.[i];
        return {
          label: name(label),
          prediction: name(prediction),
          correct: label !== undefined && prediction !== undefined ? label === prediction : undefined,
        };
      });
      show({ kind: 'images', title: options.title, width, height, channels, pixels, captions });
    },

    showConfusionMatrix(labels, predictions, classes, options = {}) {
      if (labels.length !== predictions.length) throw new Error(`showConfusionMatrix needs as many predictions (${predictions.length}) as labels (${labels.length})`);
      const matrix = classes.map(() => classes.map(() => 0));
      labels.forEach((label, i) => {
        const row = matrix[label];
        const prediction = predictions[i]!;
        if (!row || prediction < 0 || prediction >= classes.length) throw new RangeError(`class index out of range at position ${i}`);
        row[prediction]!++;
      });
      show({ kind: 'confusion', title: options.title, classes: [...classes], matrix });
    },

    showTable(rows, options = {}) {
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const cell = (value: unknown) => (value === undefined || value === null ? null : typeof value === 'number' ? value : String(value));
      show({ kind: 'table', title: options.title, columns, rows: rows.map((row) => columns.map((c) => cell(row[c]))) });
    },

    showChart(series, options) {
      show({
        kind: 'chart',
        id: options.id ?? options.title,
        title: options.title,
        xLabel: options.xLabel ?? '',
        yLabel: options.yLabel ?? '',
        series: Object.entries(series).map(([name, points]) => ({
          name,
          points: points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => [x, y]),
        })),
      });
    },
  };
}
