import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getCourse } from '@/lib/course';
import { fixture } from './fixture';

const pageTitled = (title: string) => `---\ntitle: ${title}\n---\n\nProse.\n`;

afterEach(() => {
  vi.unstubAllEnvs();
});

async function titleOfFirstPage(root: string): Promise<string | undefined> {
  const { course } = await getCourse(root);
  return course.pages[0]?.title;
}

describe('getCourse', () => {
  it('recompiles on every call under `next dev`, so an edited lesson shows on reload', async () => {
    vi.stubEnv('NODE_ENV', 'development');
    const root = fixture({ 'content/basics/one.mdx': pageTitled('Before') });
    expect(await titleOfFirstPage(root)).toBe('Before');

    writeFileSync(path.join(root, 'content/basics/one.mdx'), pageTitled('After'));
    expect(await titleOfFirstPage(root)).toBe('After');
  });

  it('compiles once per build process otherwise', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const root = fixture({ 'content/basics/one.mdx': pageTitled('Built') });
    const first = getCourse(root);
    expect(getCourse(root)).toBe(first);
    expect(await titleOfFirstPage(root)).toBe('Built');

    writeFileSync(path.join(root, 'content/basics/one.mdx'), pageTitled('Edited after the build started'));
    expect(await titleOfFirstPage(root)).toBe('Built');
  });
});
