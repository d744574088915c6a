import { describe, expect, it } from 'vitest';
import { clearDraft, draftKey, loadDraft, saveDraft } from '@/runtime/host/drafts';

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  constructor(private readonly full = false) {}
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.data.set(key, value);
  }
}

describe('drafts', () => {
  it('keys drafts by lesson and cell and round-trips them', () => {
    const storage = new MemoryStorage();
    const key = draftKey('transfer-learning', 'first-tensor');
    expect(key).toBe('course:v1:draft:transfer-learning:first-tensor');
    expect(saveDraft(storage, key, { code: 'let a = 1;', starterHash: 'abc', savedAt: 5 })).toBeNull();
    expect(loadDraft(storage, key)).toEqual({ code: 'let a = 1;', starterHash: 'abc', savedAt: 5 });
    clearDraft(storage, key);
    expect(loadDraft(storage, key)).toBeNull();
  });

  it('treats malformed saved data as no draft', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(loadDraft(storage, 'k')).toBeNull();
    storage.setItem('k', JSON.stringify({ code: 3 }));
    expect(loadDraft(storage, 'k')).toBeNull();
  });

  it('says so when the browser refuses to save', () => {
    expect(saveDraft(new MemoryStorage(true), 'k', { code: '', starterHash: '', savedAt: 0 })).toMatch(/could not be saved/);
    expect(saveDraft(undefined, 'k', { code: '', starterHash: '', savedAt: 0 })).toMatch(/does not allow saving/);
  });
});
