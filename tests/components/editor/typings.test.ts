import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELL_COMPILER_OPTIONS, cellModelPath } from '@/lib/editor/typescriptOptions';
import type { TypingsBundle } from '@/lib/editor/manifest';
import { collectTypings } from '@/scripts/build-editor';
import { LESSON_ASSET_TYPINGS_PATH } from '@/components/editor/loadMonaco';
import { lessonTypings } from '@/lib/lessons/assets';
import { readManifest } from '@/lib/lessons/manifest';

const root = process.cwd();
const typescriptLib = path.join(root, 'node_modules/typescript/lib');
const STARTER = readFileSync(path.join(root, 'content/transfer-learning/cells/first-tensor.ts'), 'utf8');
/** Every cell, exercise starter, solution and check of every lesson. */
const LESSON_CODE = readdirSync(path.join(root, 'content'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.join('content', file))
  .sort();

/**
 * A language service whose host answers exactly as Monaco 0.57's TypeScript worker does (tsWorker.js):
 * every extra lib is a root file, file names are file:/// URIs, the current directory is "", lib names
 * are looked up as given or as lib.<name>.d.ts. So what passes here passes in the browser's worker.
 */
function monacoLikeService(bundle: TypingsBundle, cells: Record<string, string>) {
  const extraLibs = new Map(Object.entries(bundle.files).map(([file, text]) => [`file:///${file}`, text]));
  const models = new Map(Object.entries(cells).map(([id, text]) => [cellModelPath(id), text]));
  const libText = (name: string): string | undefined => {
    for (const candidate of [name, `lib.${name}.d.ts`]) {
      if (/^lib\.[\w.]+\.d\.ts$/.test(candidate)) {
        try {
          return readFileSync(path.join(typescriptLib, candidate), 'utf8');
        } catch {
          // not a lib file
        }
      }
    }
    return undefined;
  };
  const text = (name: string) => models.get(name) ?? libText(name) ?? extraLibs.get(name);
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => CELL_COMPILER_OPTIONS as unknown as ts.CompilerOptions,
    getScriptFileNames: () => [...models.keys(), ...extraLibs.keys()],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const value = text(name);
      return value === undefined ? undefined : ts.ScriptSnapshot.fromString(value);
    },
    getCurrentDirectory: () => '',
    getDefaultLibFileName: () => 'lib.es2022.full.d.ts',
    readFile: (name) => text(name),
    fileExists: (name) => text(name) !== undefined,
  };
  const service = ts.createLanguageService(host);
  const diagnostics = (id: string) => {
    const file = cellModelPath(id);
    return [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)].map((d) => ({
      code: d.code,
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  };
  return { service, diagnostics, file: cellModelPath };
}

/** The bundle as the editor of a page of `lesson` holds it: with that lesson's asset names. */
const LESSONS = new Map(readManifest(root).lessons.map((lesson) => [lesson.slug, lesson]));
function forLesson(bundle: TypingsBundle, slug: string): TypingsBundle {
  const lesson = LESSONS.get(slug);
  if (!lesson) throw new Error(`content/${slug}/ is not a lesson in content/course.yaml`);
  return { ...bundle, files: { ...bundle.files, [LESSON_ASSET_TYPINGS_PATH]: lessonTypings(lesson) } };
}

let tfjsOnly: TypingsBundle;
let bundle: TypingsBundle;
beforeAll(async () => {
  tfjsOnly = await collectTypings(root);
  bundle = forLesson(tfjsOnly, 'transfer-learning');
}, 60_000);

describe('typings bundle for the editor', () => {
  it('type-checks the starter cell cleanly in a host that answers like Monaco’s worker', () => {
    const { diagnostics } = monacoLikeService(bundle, { 'first-tensor': STARTER });
    expect(diagnostics('first-tensor')).toEqual([]);
  });

  it('finds the lesson code to check', () => {
    expect(LESSON_CODE).toEqual(expect.arrayContaining(['content/transfer-learning/cells/first-tensor.ts', 'content/transfer-learning/exercises/garment-or-not.check.ts']));
  });

  it.each(LESSON_CODE)("type-checks %s cleanly against the tfjs and lesson typings, with its lesson's asset names", (file) => {
    const { diagnostics } = monacoLikeService(forLesson(tfjsOnly, file.split('/')[1]!), { cell: readFileSync(path.join(root, file), 'utf8') });
    expect(diagnostics('cell')).toEqual([]);
  });

  it('makes a model or data set name the lesson does not declare a type error', () => {
    const { diagnostics } = monacoLikeService(bundle, {
      declared: `import * as lesson from 'lesson';
await lesson.loadModel('fashion-cnn');
await lesson.loadImages('digits');
`,
      undeclared: `import * as lesson from 'lesson';
await lesson.loadModel('shape-net');
await lesson.loadImages('shapes');
await lesson.loadTable('digits');
`,
    });
    expect(diagnostics('declared')).toEqual([]);
    expect(diagnostics('undeclared').map((d) => [d.code, d.line])).toEqual([
      [2345, 2],
      [2345, 3],
      [2345, 4],
    ]);
    expect(diagnostics('undeclared')[0]!.message).toBe(`Argument of type '"shape-net"' is not assignable to parameter of type '"fashion-cnn"'.`);
  });

  it('gives tf real types: completions after "tf." and a Tensor2D from tf.tensor2d', () => {
    const source = `import * as tf from '@tensorflow/tfjs';\nconst x = tf.tensor2d([[1]]);\ntf.`;
    const { service, file } = monacoLikeService(bundle, { c: source });
    const names = service.getCompletionsAtPosition(file('c'), source.length, {})?.entries.map((e) => e.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['tensor2d', 'matMul', 'sequential', 'layers', 'data']));
    const info = service.getQuickInfoAtPosition(file('c'), source.indexOf('x ='));
    expect(ts.displayPartsToString(info?.displayParts)).toBe('const x: tf.Tensor2D');
  });

  it('reports a type error at its line and keeps each cell in its own module scope', () => {
    const { diagnostics } = monacoLikeService(bundle, {
      a: `const n: number = 'x';\n`,
      b: `const n = 1;\nexport {};\n`,
    });
    expect(diagnostics('a')).toEqual([{ code: 2322, line: 1, message: "Type 'string' is not assignable to type 'number'." }]);
    expect(diagnostics('b')).toEqual([]);
  });

  it('checks against the Worker globals, not the DOM, and allows top-level await without imports', () => {
    const { diagnostics } = monacoLikeService(bundle, {
      worker: `await new Promise((r) => setTimeout(r, 0));\npostMessage(self.name);\nconst c = new OffscreenCanvas(1, 1);\n`,
      dom: `document.title = 'x';\n`,
    });
    expect(diagnostics('worker')).toEqual([]);
    expect(diagnostics('dom').map((d) => d.code)).toEqual([2584]);
  });

  it('resolves the lesson helper module to its typings (whatever runtime/lesson/lesson.d.ts declares)', () => {
    const { diagnostics } = monacoLikeService(bundle, { c: `import * as lesson from 'lesson';\nlesson.notAHelperOfTheLesson;\n` });
    // Not "Cannot find module" (2307) and not `any`: a missing member is reported on the typed module.
    expect(diagnostics('c').map((d) => d.code)).toEqual([2339]);
  });

  it('ships declaration files and minimal package.json files only, without license banners or source-map links', () => {
    const names = Object.keys(bundle.files);
    expect(names.every((name) => name.startsWith('node_modules/') && /(\.d\.ts|\/package\.json)$/.test(name))).toBe(true);
    expect(names.some((name) => /_test\.d\.ts$/.test(name))).toBe(false);
    const text = Object.values(bundle.files).join('\n');
    expect(text).not.toMatch(/sourceMappingURL/);
    expect(text).not.toMatch(/@license/);
    expect(bundle.files['node_modules/@tensorflow/tfjs/package.json']).toBe('{"name":"@tensorflow/tfjs","types":"dist/index.d.ts"}');
  });
});
