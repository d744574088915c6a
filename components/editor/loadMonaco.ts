import type * as MonacoApi from 'monaco-editor';
import { EDITOR_MANIFEST_PATH, type EditorManifest, type TypingsBundle } from '@/lib/editor/manifest';
import { sitePath } from '@/lib/site';
import { followPageTheme } from './pageTheme';
import { CELL_COMPILER_OPTIONS } from '@/lib/editor/typescriptOptions';

/**
 * The Monaco API as the prebundled editor provides it: the editor, languages and the TypeScript
 * language features. The CSS, HTML and JSON language services and the LSP client are not bundled.
 */
export type Monaco = Omit<typeof MonacoApi, 'css' | 'html' | 'json' | 'lsp'> & {
  /** Monaco's TypeScript language configuration and tokenizer (the editor bundle exports them). */
  typescriptConfiguration: MonacoApi.languages.LanguageConfiguration;
  typescriptTokens: MonacoApi.languages.IMonarchLanguage;
};

/**
 * The language of a cell's model until anyone edits a cell: TypeScript's tokenizer and brackets, but
 * none of its language features, so the TypeScript worker (0.8 s of CPU on a small machine, while the
 * sandbox warms up) does not start for a student who only reads and runs the lesson's code.
 */
const UNEDITED_TYPESCRIPT = 'typescript-unedited';
let typeChecking = false;

/** The language a new cell model gets: TypeScript once type checking has started, else its unchecked twin. */
export function cellLanguage(): string {
  return typeChecking ? 'typescript' : UNEDITED_TYPESCRIPT;
}

/** Switches every cell to full TypeScript (hovers, completions, type errors): the worker starts now. */
export function startTypeChecking(monaco: Monaco): void {
  if (typeChecking) return;
  typeChecking = true;
  for (const model of monaco.editor.getModels()) {
    if (model.getLanguageId() === UNEDITED_TYPESCRIPT) monaco.editor.setModelLanguage(model, 'typescript');
  }
}

let loading: Promise<Monaco> | undefined;

/**
 * Loads the prebundled Monaco once per page (later calls share the first call's promise), with its
 * workers, its stylesheet, the TypeScript settings for cells and the typings student code sees, with
 * the asset names of the page's lesson (`lessonTypings`; a page belongs to one lesson).
 * Resolves only when the typings are in place, so no cell ever shows "Cannot find module" first.
 * Browser only: nothing here may run during the static export. A failed load may be retried.
 */
export function loadMonaco(lessonTypings = ''): Promise<Monaco> {
  if (typeof window === 'undefined') return Promise.reject(new Error('loadMonaco() runs in the browser only'));
  loading ??= load(lessonTypings).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Where the page's lesson's asset names (ModelName, ImageSetName, TableName) sit beside the `lesson` typings. */
export const LESSON_ASSET_TYPINGS_PATH = 'node_modules/lesson/assets.d.ts';

async function load(lessonTypings: string): Promise<Monaco> {
  const manifestUrl = new URL(sitePath(EDITOR_MANIFEST_PATH), document.baseURI);
  const manifest = await fetchJson<EditorManifest>(manifestUrl.href);
  const at = (name: string) => new URL(name, manifestUrl).href;

  installWorkers(at(manifest.workers.editor), at(manifest.workers.typescript));
  const [monaco, typings] = await Promise.all([
    // A runtime URL, not a module for Next's bundler to follow: Monaco never enters the page's own chunks.
    import(/* webpackIgnore: true */ /* turbopackIgnore: true */ at(manifest.editor.js)) as Promise<Monaco>,
    fetchJson<TypingsBundle>(at(manifest.types)),
    loadStylesheet(at(manifest.editor.css)),
  ]);
  configureTypeScript(monaco, { ...typings, files: { ...typings.files, [LESSON_ASSET_TYPINGS_PATH]: lessonTypings } });
  monaco.languages.register({ id: UNEDITED_TYPESCRIPT });
  monaco.languages.setMonarchTokensProvider(UNEDITED_TYPESCRIPT, monaco.typescriptTokens);
  monaco.languages.setLanguageConfiguration(UNEDITED_TYPESCRIPT, monaco.typescriptConfiguration);
  followPageTheme(monaco);
  return monaco;
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Editor asset ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function loadStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = () => resolve();
    link.onerror = () => reject(new Error(`Editor stylesheet ${href} failed to load`));
    document.head.append(link);
  });
}

/** Monaco asks for a worker by label: the TypeScript service for TS/JS, its generic worker otherwise. */
function installWorkers(editorWorker: string, typescriptWorker: string): void {
  const environment: MonacoApi.Environment = {
    getWorker(_moduleId, label) {
      const isTypeScript = label === 'typescript' || label === 'javascript';
      return new Worker(isTypeScript ? typescriptWorker : editorWorker, { name: label });
    },
  };
  (globalThis as { MonacoEnvironment?: MonacoApi.Environment }).MonacoEnvironment = environment;
}

/**
 * Once per page, before any cell's model exists (changing these later re-checks every model): the cell
 * compiler options, syntax and semantic diagnostics, and all typings in a single setExtraLibs call.
 */
function configureTypeScript(monaco: Monaco, typings: TypingsBundle): void {
  const defaults = monaco.typescript.typescriptDefaults;
  defaults.setCompilerOptions(CELL_COMPILER_OPTIONS as unknown as MonacoApi.typescript.CompilerOptions);
  defaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, noSuggestionDiagnostics: false });
  defaults.setExtraLibs(Object.entries(typings.files).map(([file, content]) => ({ filePath: `file:///${file}`, content })));
}
