/**
 * Model and data cross two boundaries (page to frame, frame to worker) as transferred ArrayBuffers,
 * while the sender keeps a master copy for the next worker. These helpers copy a message and list its
 * buffers, whatever fields it has, so a new field needs no code here.
 */

/** A deep copy of `value` with new ArrayBuffers, and those buffers, to pass as postMessage's transfer list. */
export function copyForTransfer<T>(value: T): { copy: T; transfer: ArrayBuffer[] } {
  const copy = structuredClone(value);
  return { copy, transfer: buffersIn(copy) };
}

/** Every ArrayBuffer inside `value` (objects and arrays, once each). */
export function buffersIn(value: unknown, found: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  if (value instanceof ArrayBuffer) found.add(value);
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) buffersIn(item, found);
  }
  return [...found];
}
