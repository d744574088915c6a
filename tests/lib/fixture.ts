import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** A one-lesson, one-page course manifest. */
export const MANIFEST = `title: Test course
lessons:
  - slug: basics
    title: Basics
    pages:
      - slug: one
        file: basics/one.mdx
`;

export const GOOD_PAGE = `---
title: One
---

Some prose.

## A section
`;

let roots: string[] = [];
afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

/**
 * Writes a throwaway repository with a content/ tree made of the given files (MANIFEST unless they
 * bring their own), removed after the test.
 */
export function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lessons-'));
  roots.push(root);
  for (const [name, text] of Object.entries({ 'content/course.yaml': MANIFEST, ...files })) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}
