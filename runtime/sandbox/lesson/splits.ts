/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface SplitCounts {
  trainPerClass: number;
  validationPerClass: number;
  testPerClass: number;
  seed: number;
}

export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Splits examples into disjoint train, validation and test sets with a fixed number per class. Each
 * class is shuffled with the seed; test takes the first examples, validation the next, train the rest.
 * So the test set holds the same examples whatever trainPerClass is, and a bigger training set
 * contains the smaller one. Within each split the classes are interleaved, then shuffled with the
 * seed (one stream for all three splits, so the test set's order does change with the other counts).
 */
export function splitIndices(labels: ArrayLike<number>, classCount: number, counts: SplitCounts): SplitIndices {
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]?.push(i);
  const need = counts.trainPerClass + counts.validationPerClass + counts.testPerClass;
  const random = seededRandom(counts.seed);
  const out: SplitIndices = { train: [], validation: [], test: [] };
  byClass.forEach((indices, label) => {
    if (indices.length < need) {
      throw new RangeError(
        `class ${label} has ${indices.length} examples, fewer than the ${need} asked for (train ${counts.trainPerClass} + validation ${counts.validationPerClass} + test ${counts.testPerClass} per class)`,
      );
    }
    const order = shuffled(indices, random);
    out.test.push(...order.slice(0, counts.testPerClass));
    out.validation.push(...order.slice(counts.testPerClass, counts.testPerClass + counts.validationPerClass));
    out.train.push(...order.slice(counts.testPerClass + counts.validationPerClass, need));
  });
  return { train: shuffled(out.train, random), validation: shuffled(out.validation, random), test: shuffled(out.test, random) };
}

export function validateCount(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number of examples (0 or more), not ${String(value)}`);
  }
  return value;
}
