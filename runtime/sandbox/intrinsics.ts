/**
 * Built-ins captured when the sandbox runtime loads, before any student code runs. Student code may
 * overwrite `Array.prototype.push`, `JSON.stringify`, `Promise`, `console` or tfjs prototypes; the
 * runtime keeps working because it only calls these captured originals.
 */
const apply = Reflect.apply;
const uncurry =
  <T, A extends unknown[], R>(fn: (this: T, ...args: A) => R) =>
  (self: T, ...args: A): R =>
    apply(fn, self, args);

export const ReflectApply = apply;
export const ReflectOwnKeys = Reflect.ownKeys;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectPrototypeToString = uncurry(Object.prototype.toString);
export const ArrayIsArray = Array.isArray;
export const StringCtor = String;
export const StringSlice = uncurry(String.prototype.slice);
export const NumberIsNaN = Number.isNaN;
export const NumberToString = uncurry(Number.prototype.toString);
export const BigIntToString = uncurry(BigInt.prototype.toString);
export const SymbolToString = uncurry(Symbol.prototype.toString);
export const DateGetTime = uncurry(Date.prototype.getTime);
export const DateToISOString = uncurry(Date.prototype.toISOString);
export const RegExpToString = uncurry(RegExp.prototype.toString);
export const MapForEach = uncurry(Map.prototype.forEach) as (map: Map<unknown, unknown>, cb: (v: unknown, k: unknown) => void) => void;
export const MapSize = uncurry(ObjectGetOwnPropertyDescriptor(Map.prototype, 'size')!.get!) as (map: Map<unknown, unknown>) => number;
export const SetForEach = uncurry(Set.prototype.forEach) as (set: Set<unknown>, cb: (v: unknown) => void) => void;
export const SetSize = uncurry(ObjectGetOwnPropertyDescriptor(Set.prototype, 'size')!.get!) as (set: Set<unknown>) => number;
export const WeakSetCtor = WeakSet;
export const WeakSetHas = uncurry(WeakSet.prototype.has);
export const WeakSetAdd = uncurry(WeakSet.prototype.add);
export const WeakSetDelete = uncurry(WeakSet.prototype.delete);
export const MapProto = Map.prototype;
export const SetProto = Set.prototype;
export const DateProto = Date.prototype;
export const RegExpProto = RegExp.prototype;
export const ErrorProto = Error.prototype;
/** DOMException keeps name and message in native getters on its prototype. */
export const DOMExceptionProto = DOMException.prototype;
export const DOMExceptionName = uncurry(ObjectGetOwnPropertyDescriptor(DOMException.prototype, 'name')!.get!) as (e: DOMException) => string;
export const DOMExceptionMessage = uncurry(ObjectGetOwnPropertyDescriptor(DOMException.prototype, 'message')!.get!) as (e: DOMException) => string;
export const ArrayBufferIsView = ArrayBuffer.isView;
export const TypedArrayLength = uncurry(
  ObjectGetOwnPropertyDescriptor(ObjectGetPrototypeOf(Uint8Array.prototype) as object, 'length')!.get!,
) as (view: ArrayBufferView) => number;
export const PerformanceNow = performance.now.bind(performance);
export const PromiseCtor = Promise;
export const PromiseThen = uncurry(Promise.prototype.then) as <T>(p: Promise<T>, ok: (v: T) => unknown, fail: (e: unknown) => unknown) => Promise<unknown>;
export const SetTimeout = setTimeout.bind(globalThis) as typeof setTimeout;
export const ClearTimeout = clearTimeout.bind(globalThis) as typeof clearTimeout;
export const SetInterval = setInterval.bind(globalThis) as typeof setInterval;
export const ClearInterval = clearInterval.bind(globalThis) as typeof clearInterval;
export const URLCreateObjectURL = URL.createObjectURL.bind(URL);
export const URLRevokeObjectURL = URL.revokeObjectURL.bind(URL);
export const BlobCtor = Blob;

/** True when `proto` is on the prototype chain of `value`, without calling user-overridable hooks. */
export function inheritsFrom(value: object, proto: object): boolean {
  let current: unknown = value;
  for (let depth = 0; depth < 64 && current !== null; depth++) {
    current = ObjectGetPrototypeOf(current as object);
    if (current === proto) return true;
  }
  return false;
}

/**
 * The descriptor of `key` on `value` or the nearest prototype that has one, without running any
 * getter. Engines keep an error's `stack` in different places: V8 on the error itself, Firefox as an
 * accessor on Error.prototype (so a TypeError finds it two prototypes up).
 */
export function findDescriptor(value: object, key: PropertyKey): PropertyDescriptor | undefined {
  let current: unknown = value;
  for (let depth = 0; depth < 64 && current !== null && current !== undefined; depth++) {
    const own = ObjectGetOwnPropertyDescriptor(current as object, key);
    if (own) return own;
    current = ObjectGetPrototypeOf(current as object);
  }
  return undefined;
}
