import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { SavedModel } from '../protocol';

/**
 * Models that cells saved with `lesson.saveModel`, kept in the page's IndexedDB (the sandbox has no
 * storage of its own) per lesson, so any page of the lesson can load them in a later run.
 */
export interface SavedModelStore {
  list(lesson: string): Promise<Record<string, SavedModel>>;
  put(lesson: string, name: string, model: SavedModel): Promise<void>;
  remove(lesson: string, name: string): Promise<void>;
}

/** Everything this store keeps a lesson's models under: the most a lesson may hold. */
export const MAX_SAVED_BYTES = 64 * 1024 * 1024;

const keyOf = (lesson: string, name: string) => `${lesson}/${name}`;

function isSavedModel(value: unknown): value is SavedModel {
  const v = value as Partial<SavedModel> | null;
  return typeof v === 'object' && v !== null && typeof v.json === 'string' && v.weights instanceof ArrayBuffer;
}

/** The little a store needs from its storage. */
export interface KeyValue {
  entries(): Promise<[IDBValidKey, unknown][]>;
  set(key: string, value: SavedModel): Promise<void>;
  del(key: string): Promise<void>;
}

/**
 * Operations run one after another in the order they were called, so a run that lists the models
 * right after another cell saved one sees it, however long IndexedDB takes to write.
 */
export function savedModelStore(kv: KeyValue): SavedModelStore {
  let last: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = last.then(operation);
    last = result.catch(() => {});
    return result;
  };
  const list = async (lesson: string) => {
    const found: Record<string, SavedModel> = {};
    for (const [key, value] of await kv.entries()) {
      if (typeof key !== 'string' || !key.startsWith(`${lesson}/`) || !isSavedModel(value)) continue;
      found[key.slice(lesson.length + 1)] = value;
    }
    return found;
  };
  return {
    list: (lesson) => inOrder(() => list(lesson)),
    put: (lesson, name, model) =>
      inOrder(async () => {
        const others = await list(lesson);
        delete others[name];
        const total = Object.values(others).reduce((n, m) => n + m.json.length + m.weights.byteLength, model.json.length + model.weights.byteLength);
        if (total > MAX_SAVED_BYTES) {
          throw new Error(`Saving "${name}" would keep ${(total / 1e6).toFixed(1)} MB of models for this lesson, over the ${MAX_SAVED_BYTES / 1024 / 1024} MB allowed. Save under an existing name to replace a model.`);
        }
        await kv.set(keyOf(lesson, name), model);
      }),
    remove: (lesson, name) => inOrder(() => kv.del(keyOf(lesson, name))),
  };
}

/** The browser's store; undefined where IndexedDB is unavailable. */
export function browserSavedModels(): SavedModelStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  let store: UseStore | undefined;
  const db = () => (store ??= createStore('course-saved-models', 'models'));
  return savedModelStore({ entries: () => entries(db()), set: (key, value) => set(key, value, db()), del: (key) => del(key, db()) });
}

/** A store in memory, for tests and for browsers without IndexedDB (models then last until a reload). */
export function memorySavedModels(): SavedModelStore {
  const models = new Map<string, SavedModel>();
  return savedModelStore({
    entries: async () => [...models],
    set: async (key, value) => void models.set(key, value),
    del: async (key) => void models.delete(key),
  });
}
