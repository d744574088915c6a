import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '@/runtime/protocol';
import { createPreviewer, previewTable, type TensorReader } from '@/runtime/sandbox/preview';

const tensorReader: TensorReader = {
  proto: tf.Tensor.prototype,
  read(t) {
    const tensor = t as tf.Tensor;
    return { dtype: tensor.dtype, shape: tensor.shape, size: tensor.size, disposed: tensor.isDisposed, values: tensor.isDisposed ? undefined : tensor.dataSync() };
  },
};
const preview = createPreviewer(tensorReader);

describe('preview', () => {
  it('keeps primitives exact, including NaN, -0, bigint and symbols', () => {
    expect([NaN, -0, Infinity, 1.5, 10n, Symbol('s'), true, undefined, null].map(preview)).toEqual([
      { k: 'number', v: 'NaN' },
      { k: 'number', v: '-0' },
      { k: 'number', v: 'Infinity' },
      { k: 'number', v: '1.5' },
      { k: 'bigint', v: '10' },
      { k: 'symbol', v: 'Symbol(s)' },
      { k: 'boolean', v: true },
      { k: 'undefined' },
      { k: 'null' },
    ]);
  });

  it('cuts long strings and says how much was left out', () => {
    const p = preview('x'.repeat(LIMITS.stringChars + 5));
    expect(p).toEqual({ k: 'string', v: 'x'.repeat(LIMITS.stringChars), cut: 5 });
  });

  it('marks circular references and stops at the depth limit', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(preview(a)).toEqual({ k: 'object', name: 'Object', entries: [['name', { k: 'string', v: 'a' }], ['self', { k: 'circular' }]], more: 0 });
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(JSON.stringify(preview(deep))).toContain('"k":"deep"');
  });

  it('does not run getters and survives proxies whose traps throw', () => {
    let called = false;
    const withGetter = {
      get secret() {
        called = true;
        throw new Error('boom');
      },
    };
    expect(preview(withGetter)).toEqual({ k: 'object', name: 'Object', entries: [['secret', { k: 'getter' }]], more: 0 });
    expect(called).toBe(false);
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('no'); }, getPrototypeOf: () => { throw new Error('no'); } });
    expect(preview(hostile)).toEqual({ k: 'opaque', v: 'unreadable value' });
  });

  it('previews collections, class instances, errors, dates and typed arrays', () => {
    class Point {
      constructor(public x: number) {}
    }
    expect(preview(new Map([['a', 1]]))).toEqual({ k: 'map', size: 1, entries: [[{ k: 'string', v: 'a' }, { k: 'number', v: '1' }]] });
    expect(preview(new Set([1]))).toEqual({ k: 'set', size: 1, items: [{ k: 'number', v: '1' }] });
    expect(preview(new Point(3))).toMatchObject({ k: 'object', name: 'Point' });
    expect(preview(new TypeError('bad'))).toMatchObject({ k: 'error', name: 'TypeError', message: 'bad' });
    expect(preview(new Date(0))).toEqual({ k: 'date', v: '1970-01-01T00:00:00.000Z' });
    expect(preview(new Float32Array([1, 2]))).toEqual({ k: 'array', name: 'Float32Array', length: 2, items: [{ k: 'number', v: '1' }, { k: 'number', v: '2' }] });
    const big = preview(Array.from({ length: 1000 }, (_, i) => i));
    expect(big).toMatchObject({ k: 'array', length: 1000 });
    expect((big as { items: unknown[] }).items).toHaveLength(LIMITS.collectionItems);
  });

  it('shows a tensor as dtype, shape and the first values of each axis', () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    expect(preview(t)).toEqual({
      k: 'tensor',
      dtype: 'float32',
      shape: [2, 2],
      size: 4,
      values: {
        k: 'array',
        name: 'Array',
        length: 2,
        items: [
          { k: 'array', name: 'Array', length: 2, items: [{ k: 'number', v: '1' }, { k: 'number', v: '2' }] },
          { k: 'array', name: 'Array', length: 2, items: [{ k: 'number', v: '3' }, { k: 'number', v: '4' }] },
        ],
      },
    });
    const long = tf.range(0, 100);
    expect(preview(long)).toMatchObject({ k: 'tensor', shape: [100], values: { length: 100, items: expect.any(Array) } });
    t.dispose();
    expect(preview(t)).toEqual({ k: 'tensor', dtype: 'float32', shape: [2, 2], size: 4, disposed: true });
    long.dispose();
  });

  it('keeps working when student code has replaced built-ins', () => {
    const push = Array.prototype.push;
    const stringify = JSON.stringify;
    let result: unknown;
    try {
      Array.prototype.push = () => {
        throw new Error('push is broken');
      };
      JSON.stringify = () => 'broken';
      result = preview([1, { a: 2 }]);
    } finally {
      Array.prototype.push = push;
      JSON.stringify = stringify;
    }
    expect(result).toEqual({
      k: 'array',
      name: 'Array',
      length: 2,
      items: [{ k: 'number', v: '1' }, { k: 'object', name: 'Object', entries: [['a', { k: 'number', v: '2' }]], more: 0 }],
    });
  });
});

describe('previewTable', () => {
  it('builds columns from the rows and a Values column for primitives', () => {
    const table = previewTable([{ a: 1, b: 'x' }, { a: 2 }, 7], undefined, preview);
    expect(table).toEqual({
      kind: 'table',
      columns: ['a', 'b', 'Values'],
      rows: [
        { key: '0', cells: [{ k: 'number', v: '1' }, { k: 'string', v: 'x' }, null] },
        { key: '1', cells: [{ k: 'number', v: '2' }, null, null] },
        { key: '2', cells: [null, null, { k: 'number', v: '7' }] },
      ],
      more: 0,
    });
  });

  it('honours the column filter and is not a table for primitives', () => {
    expect(previewTable({ r: { a: 1, b: 2 } }, ['b'], preview)?.columns).toEqual(['b']);
    expect(previewTable(5, undefined, preview)).toBeNull();
  });
});
