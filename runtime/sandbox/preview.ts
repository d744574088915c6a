import { LIMITS, type Preview, type TableEntry } from '../protocol';
import {
  ArrayBufferIsView,
  ArrayIsArray,
  BigIntToString,
  DateGetTime,
  DateProto,
  DateToISOString,
  ErrorProto,
  inheritsFrom,
  MapForEach,
  MapProto,
  MapSize,
  NumberIsNaN,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectPrototypeToString,
  ReflectApply,
  ReflectOwnKeys,
  RegExpProto,
  RegExpToString,
  SetForEach,
  SetProto,
  SetSize,
  StringCtor,
  StringSlice,
  SymbolToString,
  TypedArrayLength,
  WeakSetAdd,
  WeakSetCtor,
  WeakSetDelete,
  WeakSetHas,
} from './intrinsics';

/** How the previewer reads tensors, so this file does not depend on TensorFlow.js itself. */
export interface TensorReader {
  /** `tf.Tensor.prototype`, captured before student code runs. */
  proto: object;
  read(tensor: object): { dtype: string; shape: number[]; size: number; disposed: boolean; values?: ArrayLike<unknown> };
}

/** Values of a tensor shown per axis before "…". */
const TENSOR_ITEMS_PER_AXIS = 8;

function numberText(n: number): string {
  if (n === 0 && 1 / n < 0) return '-0';
  return NumberIsNaN(n) ? 'NaN' : StringCtor(n);
}

export function previewString(s: string): Preview {
  return s.length > LIMITS.stringChars
    ? { k: 'string', v: StringSlice(s, 0, LIMITS.stringChars), cut: s.length - LIMITS.stringChars }
    : { k: 'string', v: s };
}

function safeName(value: object): string {
  try {
    const proto = ObjectGetPrototypeOf(value) as object | null;
    if (proto === null) return 'Object';
    const ctor = ObjectGetOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    const name = typeof ctor === 'function' ? ObjectGetOwnPropertyDescriptor(ctor, 'name')?.value : undefined;
    return typeof name === 'string' && name !== '' ? StringSlice(name, 0, 100) : 'Object';
  } catch {
    return 'Object';
  }
}

function keyText(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${SymbolToString(key)}]` : StringSlice(key, 0, 1000);
}

/**
 * Turns any value into a bounded, cloneable description (a Preview) without running student code
 * where avoidable: getters are not invoked, proxies that throw are shown as unreadable, cycles are
 * marked, and strings, collections and depth are capped.
 */
export function createPreviewer(tensors?: TensorReader) {
  const seen = new WeakSetCtor<object>();

  function preview(value: unknown, depth: number): Preview {
    switch (typeof value) {
      case 'undefined':
        return { k: 'undefined' };
      case 'boolean':
        return { k: 'boolean', v: value };
      case 'number':
        return { k: 'number', v: numberText(value) };
      case 'bigint':
        return { k: 'bigint', v: StringSlice(BigIntToString(value), 0, LIMITS.stringChars) };
      case 'string':
        return previewString(value);
      case 'symbol':
        return { k: 'symbol', v: StringSlice(SymbolToString(value), 0, 1000) };
      case 'function': {
        const name = ObjectGetOwnPropertyDescriptor(value, 'name')?.value;
        return { k: 'function', name: typeof name === 'string' ? StringSlice(name, 0, 200) : '' };
      }
    }
    if (value === null) return { k: 'null' };
    const object = value as object;
    if (WeakSetHas(seen, object)) return { k: 'circular' };
    try {
      WeakSetAdd(seen, object);
      return previewObject(object, depth);
    } catch {
      return { k: 'opaque', v: 'unreadable value' };
    } finally {
      WeakSetDelete(seen, object);
    }
  }

  function previewObject(object: object, depth: number): Preview {
    if (tensors && inheritsFrom(object, tensors.proto)) return previewTensor(object);
    if (inheritsFrom(object, ErrorProto)) return previewError(object);
    if (inheritsFrom(object, DateProto)) {
      const time = DateGetTime(object as Date);
      return { k: 'date', v: NumberIsNaN(time) ? 'Invalid Date' : DateToISOString(object as Date) };
    }
    if (inheritsFrom(object, RegExpProto)) return { k: 'regexp', v: StringSlice(RegExpToString(object as RegExp), 0, 1000) };
    if (depth >= LIMITS.depth) return { k: 'deep' };
    if (ArrayIsArray(object)) return previewArray(object as unknown[], 'Array', (object as unknown[]).length, depth);
    if (ArrayBufferIsView(object) && !(ObjectPrototypeToString(object) === '[object DataView]')) {
      return previewArray(object as unknown as ArrayLike<unknown>, safeName(object), TypedArrayLength(object as ArrayBufferView), depth);
    }
    if (inheritsFrom(object, MapProto)) {
      const entries: [Preview, Preview][] = [];
      MapForEach(object as Map<unknown, unknown>, (v, k) => {
        if (entries.length < LIMITS.collectionItems) entries[entries.length] = [preview(k, depth + 1), preview(v, depth + 1)];
      });
      return { k: 'map', size: MapSize(object as Map<unknown, unknown>), entries };
    }
    if (inheritsFrom(object, SetProto)) {
      const items: Preview[] = [];
      SetForEach(object as Set<unknown>, (v) => {
        if (items.length < LIMITS.collectionItems) items[items.length] = preview(v, depth + 1);
      });
      return { k: 'set', size: SetSize(object as Set<unknown>), items };
    }
    return previewPlainObject(object, depth);
  }

  function previewArray(array: ArrayLike<unknown>, name: string, length: number, depth: number): Preview {
    const items: Preview[] = [];
    const shown = length < LIMITS.collectionItems ? length : LIMITS.collectionItems;
    for (let i = 0; i < shown; i++) {
      const descriptor = ObjectGetOwnPropertyDescriptor(array, i);
      items[i] = !descriptor ? { k: 'undefined' } : 'value' in descriptor ? preview(descriptor.value, depth + 1) : { k: 'getter' };
    }
    return { k: 'array', name, length, items };
  }

  function previewPlainObject(object: object, depth: number): Preview {
    const keys = ReflectOwnKeys(object);
    const entries: [string, Preview][] = [];
    let more = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string | symbol;
      const descriptor = ObjectGetOwnPropertyDescriptor(object, key);
      if (!descriptor || !descriptor.enumerable) continue;
      if (entries.length >= LIMITS.collectionItems) {
        more++;
        continue;
      }
      entries[entries.length] = [keyText(key), 'value' in descriptor ? preview(descriptor.value, depth + 1) : { k: 'getter' }];
    }
    return { k: 'object', name: safeName(object), entries, more };
  }

  function previewError(error: object): Preview {
    const read = (key: string): string | undefined => {
      try {
        const descriptor = ObjectGetOwnPropertyDescriptor(error, key) ?? ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(error) as object, key);
        // `stack` sits behind a native accessor on the error itself in V8.
        const v = descriptor && 'value' in descriptor ? descriptor.value : key === 'stack' && descriptor?.get ? ReflectApply(descriptor.get, error, []) : undefined;
        return typeof v === 'string' ? StringSlice(v, 0, LIMITS.errorChars) : undefined;
      } catch {
        return undefined;
      }
    };
    return { k: 'error', name: read('name') ?? safeName(error), message: read('message') ?? '', stack: read('stack') };
  }

  function previewTensor(tensor: object): Preview {
    const info = tensors!.read(tensor);
    const base = { k: 'tensor' as const, dtype: info.dtype, shape: info.shape, size: info.size };
    if (info.disposed) return { ...base, disposed: true };
    if (info.size > LIMITS.tensorValues || !info.values) return base;
    return { ...base, values: nestValues(info.values, info.shape, 0, 0).preview };
  }

  /** Rebuilds the first items of each axis of a flat tensor buffer as nested array previews. */
  function nestValues(values: ArrayLike<unknown>, shape: number[], axis: number, offset: number): { preview: Preview } {
    if (axis === shape.length) return { preview: preview(values[offset], LIMITS.depth - 1) };
    const length = shape[axis] ?? 0;
    let stride = 1;
    for (let a = axis + 1; a < shape.length; a++) stride *= shape[a] ?? 1;
    const items: Preview[] = [];
    const shown = length < TENSOR_ITEMS_PER_AXIS ? length : TENSOR_ITEMS_PER_AXIS;
    for (let i = 0; i < shown; i++) items[i] = nestValues(values, shape, axis + 1, offset + i * stride).preview;
    return { preview: { k: 'array', name: 'Array', length, items } };
  }

  return (value: unknown): Preview => preview(value, 0);
}

/** console.table: rows from an array or object; columns from row keys (or the given column filter). */
export function previewTable(data: unknown, columnFilter: unknown, preview: (value: unknown) => Preview): TableEntry | null {
  if (typeof data !== 'object' || data === null) return null;
  const filter = ArrayIsArray(columnFilter) ? stringsOf(columnFilter as unknown[]) : null;
  const columns: string[] = [];
  const keys = ReflectOwnKeys(data);
  const rowKeys: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'string' && ObjectGetOwnPropertyDescriptor(data, key)?.enumerable) rowKeys[rowKeys.length] = key;
  }
  const limit = rowKeys.length < LIMITS.tableRows ? rowKeys.length : LIMITS.tableRows;
  const cellsByRow: Record<string, Preview>[] = [];
  let hasValues = false;
  for (let r = 0; r < limit; r++) {
    const descriptor = ObjectGetOwnPropertyDescriptor(data, rowKeys[r]!);
    const row: unknown = descriptor && 'value' in descriptor ? descriptor.value : undefined;
    const cells: Record<string, Preview> = Object.create(null) as Record<string, Preview>;
    if (typeof row === 'object' && row !== null && !inheritsFrom(row, ErrorProto)) {
      const rowKeysOfRow = ReflectOwnKeys(row);
      for (let c = 0; c < rowKeysOfRow.length; c++) {
        const column = rowKeysOfRow[c];
        if (typeof column !== 'string') continue;
        const d = ObjectGetOwnPropertyDescriptor(row, column);
        if (!d?.enumerable || (filter && indexOf(filter, column) < 0)) continue;
        if (indexOf(columns, column) < 0) {
          if (columns.length >= LIMITS.tableColumns) continue;
          columns[columns.length] = column;
        }
        cells[column] = 'value' in d ? preview(d.value) : { k: 'getter' };
      }
    } else {
      hasValues = true;
      cells['\u0000values'] = preview(row);
    }
    cellsByRow[r] = cells;
  }
  if (hasValues && columns.length < LIMITS.tableColumns) columns[columns.length] = 'Values';
  const rows: TableEntry['rows'] = [];
  for (let r = 0; r < limit; r++) {
    const cells: (Preview | null)[] = [];
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const key = hasValues && c === columns.length - 1 && column === 'Values' ? '\u0000values' : column;
      cells[c] = cellsByRow[r]![key] ?? null;
    }
    rows[r] = { key: StringSlice(rowKeys[r]!, 0, 200), cells };
  }
  return { kind: 'table', columns, rows, more: rowKeys.length - limit };
}

function stringsOf(values: unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) out[i] = StringCtor(values[i]);
  return out;
}

function indexOf(list: readonly string[], value: string): number {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return i;
  return -1;
}
