import { describe, expect, it } from 'vitest';
import { AuthoringErrors } from '@/lib/lessons/errors';
import { loadCourse } from '@/lib/lessons/course';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { GOOD_PAGE, MANIFEST, fixture } from './fixture';

async function authoringMessage(files: Record<string, string>): Promise<string> {
  const error = await loadCourse(fixture(files), MDX_COMPONENT_NAMES).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

function page(body: string): Record<string, string> {
  return { 'content/basics/one.mdx': `---\ntitle: One\n---\n\n${body}\n` };
}

describe('loadCourse on a valid course', () => {
  it('computes course positions, headings and inlined cells', async () => {
    const root = fixture({
      'content/course.yaml': MANIFEST + '      - slug: two\n        file: basics/two.mdx\n',
      'content/basics/one.mdx': GOOD_PAGE + '\n<CodeCell id="hello" src="./cells/hello.ts" />\n',
      'content/basics/cells/hello.ts': "console.log('hi');\n",
      'content/basics/two.mdx': '---\ntitle: Two\ndescription: Second\n---\n\n## Start\n\n### Detail\n\n<Callout kind="use-when">small data</Callout>\n',
    });
    const { course, compiled } = await loadCourse(root, MDX_COMPONENT_NAMES);
    expect(course.pages.map((p) => [p.href, p.pageInCourse, p.pagesInCourse, p.pageInLesson, p.pagesInLesson])).toEqual([
      ['/basics/one/', 1, 2, 1, 2],
      ['/basics/two/', 2, 2, 2, 2],
    ]);
    expect(course.pages[1]?.description).toBe('Second');
    const one = compiled.get('content/basics/one.mdx');
    expect(one?.headings).toEqual([{ depth: 2, text: 'A section', id: 'a-section' }]);
    expect(one?.cells).toEqual([
      { id: 'hello', kind: 'code', source: 'content/basics/cells/hello.ts', line: 9, code: [{ role: 'starter', file: 'content/basics/cells/hello.ts', firstLine: 1, code: "console.log('hi');\n" }] },
    ]);
    expect(one?.code).toContain("console.log('hi');");
    expect(compiled.get('content/basics/two.mdx')?.headings.map((h) => h.depth)).toEqual([2, 3]);
  });
});

describe('authoring mistakes fail with file:line:col', () => {
  it('reports invalid MDX syntax', async () => {
    expect(await authoringMessage(page('Text\n\n<Callout kind="note">never closed\n'))).toMatch(
      /content\/basics\/one\.mdx:\d+:\d+: .*(end|close|Callout)/i,
    );
  });

  it('reports an unknown component with the list of allowed ones', async () => {
    const message = await authoringMessage(page('Intro.\n\n<Quiz answer="4" />'));
    expect(message).toContain('content/basics/one.mdx:7:1: unknown component <Quiz>');
    expect(message).toContain('CodeCell');
  });

  it('reports a lesson file that the manifest does not list', async () => {
    const message = await authoringMessage({ ...page('Fine.'), 'content/basics/orphan.mdx': GOOD_PAGE });
    expect(message).toContain('content/basics/orphan.mdx: this lesson page is not listed in content/course.yaml');
  });

  it('reports a manifest entry whose file does not exist, at its line', async () => {
    const message = await authoringMessage({
      'content/course.yaml': MANIFEST + '      - slug: two\n        file: basics/missing.mdx\n',
      ...page('Fine.'),
    });
    expect(message).toBe('content/course.yaml:9:15: page file "content/basics/missing.mdx" does not exist');
  });

  it('reports invalid YAML in the manifest', async () => {
    const message = await authoringMessage({ 'content/course.yaml': 'title: [unclosed\nlessons: []\n', ...page('x') });
    expect(message).toMatch(/^content\/course\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reports frontmatter that is not valid YAML, at the line inside the page', async () => {
    const message = await authoringMessage({ 'content/basics/one.mdx': '---\ntitle: One\ndescription: "open\n---\n\nBody\n' });
    expect(message).toMatch(/content\/basics\/one\.mdx:3:\d+: invalid YAML: Missing closing/);
  });

  it('reports frontmatter without a title and unknown frontmatter keys', async () => {
    expect(await authoringMessage({ 'content/basics/one.mdx': '---\ndescription: x\n---\n\nBody\n' })).toContain(
      'content/basics/one.mdx:2:1: missing required key "title"',
    );
    expect(await authoringMessage({ 'content/basics/one.mdx': '---\ntitle: One\ntitel: typo\n---\n' })).toContain(
      'content/basics/one.mdx:3:1: unknown key "titel"',
    );
  });

  it('reports a page without frontmatter', async () => {
    expect(await authoringMessage({ 'content/basics/one.mdx': '## No frontmatter\n' })).toContain(
      'content/basics/one.mdx:1:1: a lesson page must start with frontmatter',
    );
  });

  it('reports a CodeCell whose source file is missing', async () => {
    expect(await authoringMessage(page('<CodeCell id="a" src="./cells/nope.ts" />'))).toContain(
      'content/basics/one.mdx:5:1: <CodeCell id="a"> src="./cells/nope.ts": file not found',
    );
  });

  it('reports duplicate and missing cell ids', async () => {
    const twice = '<CodeCell id="a">\n```ts\nlet x = 1;\n```\n</CodeCell>\n\n<CodeCell id="a">\n```ts\nlet y = 2;\n```\n</CodeCell>';
    expect(await authoringMessage(page(twice))).toContain('content/basics/one.mdx:11:1: duplicate cell id "a" (first used on line 5)');
    expect(await authoringMessage(page('<CodeCell>\n```ts\n1\n```\n</CodeCell>'))).toContain('needs an id="..."');
  });

  it('rejects scripts, event handlers and javascript: links in prose', async () => {
    expect(await authoringMessage(page('<script>alert(1)</script>'))).toMatch(/one\.mdx:5:1: <script> is not allowed/);
    expect(await authoringMessage(page('[click](javascript:alert(1))'))).toMatch(/one\.mdx:5:1: unsafe URL "javascript:alert\(1\)"/);
    expect(await authoringMessage(page('<a href="javascript:alert(1)">x</a>'))).toMatch(/one\.mdx:5:\d+: unsafe URL in href/);
    expect(await authoringMessage(page('<div onClick="x">hi</div>'))).toMatch(/event handler attribute "onClick"/);
  });

  it('rejects imports, a level-1 heading and skipped heading levels', async () => {
    expect(await authoringMessage(page("import x from './x.js'"))).toMatch(/one\.mdx:5:1: imports and exports are not allowed/);
    expect(await authoringMessage(page('# Title again'))).toMatch(/one\.mdx:5:1: a lesson page must not contain a level-1 heading/);
    expect(await authoringMessage(page('## Section\n\n#### Too deep'))).toMatch(/one\.mdx:7:1: heading level skips from h2 to h4/);
  });

  it('reports an exercise without a check', async () => {
    const message = await authoringMessage({
      ...page('<Exercise id="ex" title="An exercise" starter="./cells/ex.ts" solution="./cells/ex.ts" />'),
      'content/basics/cells/ex.ts': 'export const answer = 42;\n',
    });
    expect(message).toContain('content/basics/one.mdx:5:1: <Exercise id="ex"> needs check="./file.ts": an exercise without a check cannot tell a student anything');
  });

  it('reports the same cell id on two pages of a lesson, at the second one', async () => {
    const cell = '<CodeCell id="shared">\n```ts\nlet x = 1;\n```\n</CodeCell>';
    const message = await authoringMessage({
      'content/course.yaml': MANIFEST + '      - slug: two\n        file: basics/two.mdx\n',
      ...page(cell),
      'content/basics/two.mdx': `---\ntitle: Two\n---\n\nIntro.\n\n${cell}\n`,
    });
    expect(message).toContain('content/basics/two.mdx:7: cell id "shared" is already used in content/basics/one.mdx; ids must be unique within a lesson');
  });

  it('reports a starter that does not compile, at its line in the cell file', async () => {
    const message = await authoringMessage({
      ...page('<CodeCell id="broken" src="./cells/broken.ts" />'),
      'content/basics/cells/broken.ts': "const ok = 1;\nconst broken = ;\nconsole.log(ok);\n",
    });
    expect(message).toBe('1 lesson authoring error:\n  content/basics/cells/broken.ts:2:16: the starter code of <CodeCell id="broken"> does not compile: Unexpected ";"');
  });

  it('reports a fenced starter that does not compile, at its line in the page', async () => {
    const message = await authoringMessage(page('Intro.\n\n<CodeCell id="inline">\n```ts\nconsole.log(1);\nconsole.log((2);\n```\n</CodeCell>'));
    expect(message).toMatch(/content\/basics\/one\.mdx:10:\d+: the starter code of <CodeCell id="inline"> does not compile: Expected "\)" but found ";"/);
  });

  it("reports an exercise's check and solution that do not compile, and imports a cell cannot use", async () => {
    const message = await authoringMessage({
      ...page('<Exercise id="ex" title="An exercise" starter="./ex/start.ts" solution="./ex/solution.ts" check="./ex/check.ts" />'),
      'content/basics/ex/start.ts': "import _ from 'lodash';\nexport const answer = _.identity(0);\n",
      'content/basics/ex/solution.ts': 'export const answer = 42\n  .toFixed(;\n',
      'content/basics/ex/check.ts': 'export default function check(cell: { answer: number }) {\n  return cell.answer === 42 ? [] : [\'not yet\'];\n}}\n',
    });
    expect(message).toContain('content/basics/ex/start.ts:1:15: the starter code of <Exercise id="ex"> does not compile: Cannot import "lodash": cells can only import "@tensorflow/tfjs" and "lesson"');
    expect(message).toMatch(/content\/basics\/ex\/solution\.ts:2:\d+: the solution code of <Exercise id="ex"> does not compile: /);
    expect(message).toMatch(/content\/basics\/ex\/check\.ts:3:2: the check code of <Exercise id="ex"> does not compile: /);
  });

  it('reports every broken page of the course in one run', async () => {
    const error = await loadCourse(
      fixture({
        'content/course.yaml': MANIFEST + '      - slug: two\n        file: basics/two.mdx\n',
        'content/basics/one.mdx': '---\ntitle: One\n---\n\n<Nope />\n',
        'content/basics/two.mdx': '---\ntitle: Two\n---\n\n<Nada />\n',
      }),
      MDX_COMPONENT_NAMES,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthoringErrors);
    expect((error as AuthoringErrors).errors.map((e) => e.file)).toEqual(['content/basics/one.mdx', 'content/basics/two.mdx']);
  });
});
