import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { loadCourse } from '@/lib/lessons/course';

const MANIFEST = 'title: T\nlessons:\n  - slug: basics\n    title: Basics\n    pages:\n      - slug: one\n        file: basics/one.mdx\n';
let roots: string[] = [];
afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

function course(body: string, extra: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lesson-attributes-'));
  roots.push(root);
  const files = { 'content/course.yaml': MANIFEST, 'content/basics/one.mdx': `---\ntitle: One\n---\n\n${body}\n`, 'content/basics/cells/a.ts': "console.log('a');\n", ...extra };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return loadCourse(root, MDX_COMPONENT_NAMES);
}

const failure = (body: string, extra?: Record<string, string>) =>
  course(body, extra).then(
    () => 'built without complaint',
    (e: unknown) => (e as Error).message,
  );

describe('timeBudget on a cell', () => {
  it('reaches the component as a number of seconds, written as {600} or "600"', async () => {
    for (const written of ['{600}', '"600"']) {
      const { compiled } = await course(`<CodeCell id="a" src="./cells/a.ts" timeBudget=${written} />`);
      expect(compiled.get('content/basics/one.mdx')!.code).toMatch(/timeBudget: ?600\b/);
    }
  });

  it.each([['"10 min"'], ['{0}'], ['{-5}'], ['{99999}'], ['""']])('fails the build with file:line for timeBudget=%s', async (written) => {
    expect(await failure(`Prose.\n\n<CodeCell id="a" src="./cells/a.ts" timeBudget=${written} />`)).toMatch(/content\/basics\/one\.mdx:7:\d+.*timeBudget must be a number of seconds between 1 and 3600/);
  });
});

describe('<Measured>', () => {
  const measured = JSON.stringify({ measuredOn: 'today, here', figures: { acc: { cell: 'a', pattern: 'acc ([\\d.]+)', value: 87.5, unit: '%', tolerance: 1 }, n: { cell: 'a', pattern: 'n (\\d+)', value: 19082, tolerance: 0 }, round: { cell: 'a', pattern: 'r ([\\d.]+)', value: 87, unit: '%', tolerance: 1, decimals: 1 } } });

  it('prints the figure from measured.json, formatted, with where it came from', async () => {
    const { compiled } = await course('Reached <Measured name="acc" /> with <Measured name="n" /> parameters, then <Measured name="round" />.', { 'content/basics/measured.json': measured });
    const code = compiled.get('content/basics/one.mdx')!.code;
    expect(code).toContain('"87.5%"');
    expect(code).toContain('"19,082"');
    expect(code).toContain('"87.0%"');
    expect(code).toContain(`Measured by the cell "a": today, here`);
  });

  it('fails the build with file:line for an unknown figure or a missing file', async () => {
    expect(await failure('Prose.\n\nIt got <Measured name="nope" />.', { 'content/basics/measured.json': measured })).toMatch(/one\.mdx:7:\d+.*no such figure in basics\/measured\.json \(it has: acc, n, round\)/);
    expect(await failure('Prose.\n\nIt got <Measured name="acc" />.')).toMatch(/one\.mdx:7:\d+.*the file does not exist/);
  });
});
