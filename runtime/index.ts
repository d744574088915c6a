/**
 * The runtime's public surface for the UI. Components import from here only; nothing in runtime/
 * imports React or Next.
 */
import { RUNTIME_ASSETS, SANDBOX_FILES } from './host/assets';
import { compileInBrowser, loadCompiler } from './host/browserCompiler';
import { CellRunner } from './host/cellRunner';
import { browserSavedModels, memorySavedModels, type SavedModelStore } from './host/savedModels';
import { SandboxHost } from './host/SandboxHost';
import { NO_LESSON_ASSETS, type LessonAssets } from './lessonAssets';

export type { Diagnostic } from './compiler/compileCell';
export type { ConsoleEntry, Display, Metrics, MetricValue, Preview, SavedModel } from './protocol';
export { RUN_INPUT } from './protocol';
export type { LessonAssets } from './lessonAssets';
export type { FitState, OutputItem, RunError, RunState, RunStatus } from './host/runState';
export { initialRunState, isActive, isTraining } from './host/runState';
export type { SandboxStatus } from './host/SandboxHost';
export { browserStorage, clearDraft, draftKey, loadDraft, saveDraft, type Draft } from './host/drafts';
export { CellRunner } from './host/cellRunner';

let sandbox: SandboxHost | undefined;
let sandboxAssets: LessonAssets = NO_LESSON_ASSETS;

/**
 * Tells the runtime which models and data sets the page's lesson declares: the sandbox preloads
 * those and nothing else. Call it before the sandbox starts (a page belongs to one lesson).
 */
export function setLessonAssets(assets: LessonAssets): void {
  if (sandbox && JSON.stringify(sandboxAssets) !== JSON.stringify(assets)) throw new Error("the sandbox already started with another lesson's assets");
  sandboxAssets = assets;
}

/** The page's one sandbox (created on first use, in the browser only). */
export function getSandbox(): SandboxHost {
  sandbox ??= new SandboxHost({ ...SANDBOX_FILES, lesson: sandboxAssets });
  return sandbox;
}

export function compile(source: string, file?: string) {
  return compileInBrowser(RUNTIME_ASSETS.esbuildWasmUrl, source, file);
}

/**
 * Starts the sandbox at once, and loads the compiler only once the sandbox is warm and the page is
 * idle: on two cores, the compiler's 14 MB of WebAssembly would otherwise compete with TensorFlow.js.
 */
let warming = false;
export function warmUp(): void {
  const sandbox = getSandbox();
  sandbox.start();
  if (warming) return;
  warming = true;
  sandbox
    .whenReady()
    .then(() => new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 5_000 }) : setTimeout(resolve, 500))))
    .then(() => loadCompiler(RUNTIME_ASSETS.esbuildWasmUrl))
    .then(() => compile('export {};'))
    .catch(() => {
      // The first real Run reports sandbox or compiler problems where the student sees them.
    });
}

let savedModels: SavedModelStore | undefined;

/** The page's store of models saved by cells (IndexedDB, or memory where the browser has none). */
function getSavedModels(): SavedModelStore {
  savedModels ??= browserSavedModels() ?? memorySavedModels();
  return savedModels;
}

export function createCellRunner(timeBudgetMs: number): CellRunner {
  return new CellRunner({ compile, sandbox: getSandbox(), timeBudgetMs, savedModels: getSavedModels() });
}
