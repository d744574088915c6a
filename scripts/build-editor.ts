/**
 * Pre-bundles the Monaco editor, its two workers and the typings student code sees into
 * public/_gen/editor/, with content-hashed file names and a manifest.json the page reads to find them.
 * Monaco is bundled here with esbuild rather than by Next.js, which has had trouble with its workers.
 *
 *   npx tsx scripts/build-editor.ts
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import type { EditorManifest, TypingsBundle } from '../lib/editor/manifest';
import { CELL_COMPILER_OPTIONS } from '../lib/editor/typescriptOptions';

export const EDITOR_OUT_DIR = 'public/_gen/editor';

/**
 * Editor features a lesson cell uses (monaco-editor 0.56+ tree-shakeable entry points). Completion,
 * hovers and signature help are the point; the rest is ordinary editing a student expects from
 * VS Code's keyboard (comment, move lines, multi-cursor, find, rename, quick fix, peek definition).
 */
const EDITOR_FEATURES = [
  'codicon',
  'hover',
  'suggest',
  'snippet',
  'parameterHints',
  'bracketMatching',
  'clipboard',
  'codeAction',
  'comment',
  'contextmenu',
  'cursorUndo',
  'find',
  'format',
  'gotoError',
  'gotoSymbol',
  'referenceSearch',
  'indentation',
  'linesOperations',
  'multicursor',
  'rename',
  'smartSelect',
  'toggleTabFocusMode',
  'unicodeHighlighter',
  'wordHighlighter',
  'wordOperations',
];

/**
 * Contributions the 0.57 feature entry points leave out (Monaco's own bundle gets them through the
 * imports the plugin below drops): `features/suggest` registers inline completions only, and the
 * suggestion widget itself lives in the suggest controller.
 */
const EDITOR_CONTRIBUTIONS = ['editor/contrib/suggest/browser/suggestController'];

const EDITOR_ENTRY = [
  `export * from 'monaco-editor/editor';`,
  `export * as typescript from 'monaco-editor/languages/features/typescript/register';`,
  `import 'monaco-editor/languages/definitions/typescript/register';`,
  // TypeScript's tokenizer again, for cells nobody has edited yet: they are coloured like TypeScript
  // under a language of their own, so the TypeScript worker starts only with the first edit.
  `export { conf as typescriptConfiguration, language as typescriptTokens } from 'monaco-editor/languages/definitions/typescript/typescript';`,
  ...EDITOR_FEATURES.map((feature) => `import 'monaco-editor/features/${feature}/register';`),
  ...EDITOR_CONTRIBUTIONS.map((contribution) => `import 'monaco-editor/${contribution}';`),
].join('\n');

/**
 * Monaco's worker helper (internal/common/workers.js, imported by the TypeScript language features)
 * side-effect-imports every editor contribution, which would undo the feature selection above (about
 * 160 KB gzip). The plugin drops those bare imports and fails loudly if the file no longer looks as
 * expected, so a Monaco upgrade cannot silently change what ships.
 */
const onlyChosenFeatures: esbuild.Plugin = {
  name: 'only-chosen-features',
  setup(build) {
    build.onLoad({ filter: /[\\/]esm[\\/]vs[\\/]internal[\\/]common[\\/]workers\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const sideEffectImport = /^import '[^']+';\r?\n/gm;
      const dropped = source.match(sideEffectImport) ?? [];
      if (dropped.length < 10 || !source.includes('function createWebWorker')) {
        throw new Error(`${args.path} changed shape; re-check the only-chosen-features plugin`);
      }
      return { contents: source.replace(sideEffectImport, ''), loader: 'js' };
    });
  },
};

/** The TypeScript lib files a cell can use (see CELL_COMPILER_OPTIONS.lib and their references). */
function isCellLib(name: string): boolean {
  return /^lib\.(es5|es20\d\d(\.[a-z.]+)?|esnext(\.[a-z.]+)?|decorators(\.legacy)?|webworker(\.[a-z]+)?)\.d\.ts$/.test(name) && !name.includes('.full.');
}

/**
 * The TypeScript worker carries every lib.*.d.ts as a string (3.1 MB); lib.dom.d.ts alone is 1.9 MB.
 * Cells run in a Worker and are checked without the DOM, so the worker keeps only the libs above.
 */
const onlyCellLibs: esbuild.Plugin = {
  name: 'only-cell-libs',
  setup(build) {
    build.onLoad({ filter: /[\\/]languages[\\/]features[\\/]typescript[\\/]lib[\\/]lib\.js$/ }, async (args) => {
      const module = (await import(pathToFileURL(args.path).href)) as { libFileMap?: Record<string, string> };
      const all = module.libFileMap;
      if (!all || Object.keys(all).length < 40) throw new Error(`${args.path} changed shape; re-check the only-cell-libs plugin`);
      const kept = Object.fromEntries(Object.entries(all).filter(([name]) => isCellLib(name)));
      for (const lib of CELL_COMPILER_OPTIONS.lib) {
        if (!(lib in kept)) throw new Error(`${args.path}: ${lib} missing; re-check the only-cell-libs plugin`);
      }
      return { contents: `export const libFileMap = ${JSON.stringify(kept)};\n`, loader: 'js' };
    });
  },
};

const COMMON: esbuild.BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
  write: false,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.ttf': 'file' },
};

function outputsBy(result: esbuild.BuildResult, outDir: string): Map<string, esbuild.OutputFile> {
  return new Map((result.outputFiles ?? []).map((file) => [path.relative(outDir, file.path), file]));
}

function pick(files: Map<string, esbuild.OutputFile>, pattern: RegExp): string {
  const names = [...files.keys()].filter((name) => pattern.test(name));
  if (names.length !== 1) throw new Error(`expected one output matching ${pattern}, got ${names.join(', ') || 'none'}`);
  return names[0]!;
}

/** Bundles the editor API (+ CSS, codicon font) and both workers; returns them without writing. */
export async function bundleMonaco(root: string, outDir: string) {
  const absOut = path.resolve(root, outDir);
  const editor = await esbuild.build({
    ...COMMON,
    stdin: { contents: EDITOR_ENTRY, resolveDir: root, sourcefile: 'editor.js' },
    format: 'esm',
    outdir: absOut,
    entryNames: 'editor-[hash]',
    plugins: [onlyChosenFeatures],
  });
  const workers = await esbuild.build({
    ...COMMON,
    entryPoints: {
      'editor.worker': path.join(root, 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
      'ts.worker': path.join(root, 'node_modules/monaco-editor/esm/vs/languages/features/typescript/ts.worker.js'),
    },
    // Classic workers: no import.meta is used and they start everywhere module workers might not.
    format: 'iife',
    outdir: absOut,
    plugins: [onlyCellLibs],
  });
  const editorFiles = outputsBy(editor, absOut);
  const workerFiles = outputsBy(workers, absOut);
  return {
    files: [...editorFiles.values(), ...workerFiles.values()].map((file) => ({ name: path.relative(absOut, file.path), contents: file.contents })),
    editor: { js: pick(editorFiles, /^editor-\w+\.js$/), css: pick(editorFiles, /^editor-\w+\.css$/) },
    workers: { editor: pick(workerFiles, /^editor\.worker-\w+\.js$/), typescript: pick(workerFiles, /^ts\.worker-\w+\.js$/) },
  };
}

const LICENSE_HEADER = /^\s*\/\*[\s\S]*?\*\/\s*/;
const SOURCE_MAP_COMMENT = /^\/\/# sourceMappingURL=.*$/gm;
/** Names a module for AMD output only; it means nothing to the type checker. */
const AMD_MODULE_DIRECTIVE = /^\/\/\/ <amd-module .*\r?\n/gm;

/**
 * Drops what a reader never sees: per-file license headers (kept once in the bundle's notice),
 * AMD module names and source-map links. JSDoc stays: it is what hovers and completions show.
 */
function slimDeclaration(text: string): string {
  let out = text.replace(AMD_MODULE_DIRECTIVE, '');
  for (let match = LICENSE_HEADER.exec(out); match && /@license|Copyright/i.test(match[0]); match = LICENSE_HEADER.exec(out)) {
    out = out.slice(match[0].length);
  }
  return out.replace(SOURCE_MAP_COMMENT, '').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function packageRootOf(file: string): string {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  const length = parts[at + 1]?.startsWith('@') ? at + 3 : at + 2;
  return parts.slice(0, length).join('/');
}

/**
 * Every declaration file `import * as tf from '@tensorflow/tfjs'` reaches, found by asking the
 * TypeScript compiler itself (so @types referenced with /// <reference types> come along), plus one
 * minimal package.json per package so resolution under file:///node_modules/ finds them in the browser,
 * plus the lesson helper typings as the package 'lesson'.
 */
export async function collectTypings(root: string, lessonTypings = 'runtime/lesson/lesson.d.ts'): Promise<TypingsBundle> {
  const entryFile = path.join(root, '__editor_typings_entry__.ts');
  const options: ts.CompilerOptions = { ...(CELL_COMPILER_OPTIONS as unknown as ts.CompilerOptions), lib: undefined, noLib: true };
  const host = ts.createCompilerHost(options, true);
  const entryText = `import * as tf from '@tensorflow/tfjs';\nexport { tf };\n`;
  const { getSourceFile, fileExists, readFile: hostReadFile } = host;
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === entryFile ? ts.createSourceFile(name, entryText, languageVersion, true) : getSourceFile.call(host, name, languageVersion, ...rest);
  host.fileExists = (name) => name === entryFile || fileExists.call(host, name);
  host.readFile = (name) => (name === entryFile ? entryText : hostReadFile.call(host, name));
  const program = ts.createProgram([entryFile], options, host);

  const files: Record<string, string> = {};
  const packages = new Set<string>();
  const nodeModules = path.join(root, 'node_modules') + path.sep;
  for (const source of program.getSourceFiles()) {
    if (source.fileName === entryFile) continue;
    const absolute = path.resolve(source.fileName);
    if (!absolute.startsWith(nodeModules) || !absolute.endsWith('.d.ts')) {
      throw new Error(`typings reach outside node_modules or past declaration files: ${absolute}`);
    }
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    files[relative] = slimDeclaration(source.text);
    packages.add(packageRootOf(relative));
  }
  if (!Object.keys(files).some((file) => file.startsWith('node_modules/@tensorflow/tfjs/'))) {
    throw new Error('@tensorflow/tfjs typings not found; is it installed?');
  }
  for (const pkg of packages) {
    const manifest = JSON.parse(await readFile(path.join(root, pkg, 'package.json'), 'utf8')) as { name: string; types?: string; typings?: string };
    const types = manifest.types ?? manifest.typings;
    files[`${pkg}/package.json`] = JSON.stringify(types ? { name: manifest.name, types } : { name: manifest.name });
  }

  const lessonPath = path.join(root, lessonTypings);
  const lessonText = await readFile(lessonPath, 'utf8');
  files['node_modules/lesson/package.json'] = JSON.stringify({ name: 'lesson', types: 'index.d.ts' });
  files['node_modules/lesson/index.d.ts'] = lessonText;

  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  const notice =
    'TensorFlow.js typings (@tensorflow/tfjs 4.x and sub-packages): Copyright Google LLC, Apache License 2.0. ' +
    '@types/*: MIT License, DefinitelyTyped contributors. Per-file license headers were removed to save space.';
  return { notice, files: sorted };
}

function hashName(base: string, ext: string, contents: Uint8Array | string): string {
  return `${base}-${createHash('sha256').update(contents).digest('hex').slice(0, 10)}.${ext}`;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main() {
  const root = process.cwd();
  const started = Date.now();
  const lessonTypings = 'runtime/lesson/lesson.d.ts';
  if (!existsSync(path.join(root, lessonTypings))) {
    throw new Error(`${lessonTypings} is missing: it declares the lesson helper module students import as 'lesson'.`);
  }
  const [monaco, typings] = await Promise.all([bundleMonaco(root, EDITOR_OUT_DIR), collectTypings(root, lessonTypings)]);
  const typesJson = JSON.stringify(typings);
  const typesName = hashName('types', 'json', typesJson);
  const monacoVersion = (JSON.parse(await readFile(path.join(root, 'node_modules/monaco-editor/package.json'), 'utf8')) as { version: string }).version;
  const manifest: EditorManifest = { monacoVersion, editor: monaco.editor, workers: monaco.workers, types: typesName };

  const outDir = path.join(root, EDITOR_OUT_DIR);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const written: { name: string; contents: Uint8Array | string }[] = [...monaco.files, { name: typesName, contents: typesJson }];
  for (const file of written) await writeFile(path.join(outDir, file.name), file.contents);
  await writeFile(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

  const rows = written.map(({ name, contents }) => {
    const bytes = typeof contents === 'string' ? Buffer.from(contents) : contents;
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) console.log(`  ${row.name.padEnd(width)}  ${kb(row.raw).padStart(10)}  ${kb(row.gzip).padStart(10)} gzip`);
  console.log(
    `editor assets in ${EDITOR_OUT_DIR}/ (${Object.keys(typings.files).length} typings files) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
