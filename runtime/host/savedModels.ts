import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { SavedModel } from '../protocol';

/**
 * Models that cells saved with `lesson.saveModel`, kept in the page's IndexedDB (the sandbox has no
 * storage of its own) per lesson, so any page of the lesson can load them in a later run.
 */
export interface SavedModelStore {
  list(lesson: string): Promise<Record<string, SavedModel>>;
  /**
   * Starts reading a lesson's models now, for the next `list` of that lesson to take (unless models
   * were saved or removed in between): the page calls it as it starts, so that a Run clicked while it
   * loads does not wait for IndexedDB.
   */
  prefetch(lesson: string): void;
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
  /** Counts saves and removals: a prefetched list from before one is stale. */
  let changes = 0;
  let prefetched: { lesson: string; changes: number; result: Promise<Record<string, SavedModel>> } | undefined;
  const list = async (lesson: string) => {
    const found: Record<string, SavedModel> = {};
    for (const [key, value] of await kv.entries()) {
      if (typeof key !== 'string' || !key.startsWith(`${lesson}/`) || !isSavedModel(value)) continue;
      found[key.slice(lesson.length + 1)] = value;
    }
    return found;
  };
  return {
    list: (lesson) => {
      const ahead = prefetched;
      prefetched = undefined;
      return ahead && ahead.lesson === lesson && ahead.changes === changes ? ahead.result : inOrder(() => list(lesson));
    },
    prefetch: (lesson) => {
      const result = inOrder(() => list(lesson));
      result.catch(() => {}); // a failed read is the taker's to report
      prefetched = { lesson, changes, result };
    },
    put: (lesson, name, model) => {
      changes++; // at the call: a list taken after it must see it, however far back in line it is
      return inOrder(async () => {
        const others = await list(lesson);
        delete others[name];
        const total = Object.values(others).reduce((n, m) => n + m.json.length + m.weights.byteLength, model.json.length + model.weights.byteLength);
        if (total > MAX_SAVED_BYTES) {
          throw new Error(`Saving "${name}" would keep ${(total / 1e6).toFixed(1)} MB of models for this lesson, over the ${MAX_SAVED_BYTES / 1024 / 1024} MB allowed. Save under an existing name to replace a model.`);
        }
        await kv.set(keyOf(lesson, name), model);
      });
    },
    remove: (lesson, name) => {
      changes++;
      return inOrder(() => kv.del(keyOf(lesson, name)));
    },
  };
}

/**
 * The browser's store; undefined where IndexedDB is unavailable. It opens the database at once (the
 * page makes it with its cells): a first visit creates it, which takes a while, and the first Run,
 * which looks for saved models, should not wait for that.
 */
export function browserSavedModels(): SavedModelStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  const store: UseStore = createStore('course-saved-models', 'models');
  return savedModelStore({ entries: () => entries(store), set: (key, value) => set(key, value, store), del: (key) => del(key, store) });
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
