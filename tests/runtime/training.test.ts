import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '@/runtime/protocol';
import { instrumentTraining } from '@/runtime/sandbox/training';

type Event = [string, ...unknown[]];
const events: Event[] = [];
let stop = false;

beforeAll(async () => {
  await tf.setBackend('cpu');
  let fits = 0;
  instrumentTraining(tf, {
    begin: (info) => {
      events.push(['begin', info]);
      return ++fits;
    },
    batch: (fitId, epoch, batch, logs: Metrics) => events.push(['batch', fitId, epoch, batch, logs]),
    epoch: (fitId, epoch, logs: Metrics) => events.push(['epoch', fitId, epoch, logs]),
    end: (fitId, stopped) => events.push(['end', fitId, stopped]),
    stopRequested: () => stop,
  });
});

function tinyModel(learningRate = 0.1) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: tf.train.sgd(learningRate), loss: 'meanSquaredError' });
  return model;
}

const xs = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2], [2, 2], [3, 1]]);
const ys = tf.tensor2d([[1], [1], [2], [0], [3], [3], [4], [4]]);

describe('instrumentTraining', () => {
  it('reports every fit without callbacks from the student, and still runs theirs', async () => {
    events.length = 0;
    const own: number[] = [];
    const history = await tinyModel().fit(xs, ys, { epochs: 3, batchSize: 4, validationSplit: 0.25, callbacks: { onEpochEnd: async (epoch) => void own.push(epoch) } });
    expect(own).toEqual([0, 1, 2]);
    expect(history.history.loss).toHaveLength(3);
    expect(events[0]).toEqual(['begin', { label: expect.stringMatching(/^sequential/), epochs: 3, batchesPerEpoch: 2 }]);
    const epochs = events.filter((e) => e[0] === 'epoch');
    expect(epochs.map((e) => e[2])).toEqual([0, 1, 2]);
    expect(Object.keys(epochs[0]![3] as Metrics).sort()).toEqual(['loss', 'val_loss']);
    expect(events.filter((e) => e[0] === 'batch').length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual(['end', 1, false]);
  });

  it('ends training after the current batch when Stop is pressed, keeping the weights learned so far', async () => {
    events.length = 0;
    const model = tinyModel();
    // All weights: the batch may hold only rows whose first feature is 0, which leaves that weight alone.
    const weights = () => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const before = weights();
    stop = true;
    try {
      const history = await model.fit(xs, ys, { epochs: 50, batchSize: 2 });
      expect(history.epoch.length).toBe(1);
    } finally {
      stop = false;
    }
    expect(weights()).not.toEqual(before);
    expect(events.at(-1)).toEqual(['end', 2, true]);
    expect(events.filter((e) => e[0] === 'batch')).toHaveLength(1);
  });

  it('reports a loss that became NaN instead of dropping it', async () => {
    events.length = 0;
    await tinyModel(1e10).fit(xs, ys, { epochs: 20, batchSize: 8 });
    const losses = events.filter((e) => e[0] === 'epoch').map((e) => (e[3] as Metrics).loss);
    expect(losses.some((loss) => loss === 'NaN' || loss === 'Infinity')).toBe(true);
    expect(losses.every((loss) => typeof loss === 'number' ? Number.isFinite(loss) : ['NaN', 'Infinity', '-Infinity'].includes(loss!))).toBe(true);
  });
});
