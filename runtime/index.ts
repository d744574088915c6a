/**
 * The runtime's public surface for the UI. Components import from here only; nothing in runtime/
 * imports React or Next.
 */
import { RUNTIME_ASSETS, SANDBOX_DATA_URLS } from './host/assets';
import { compileInBrowser, loadCompiler } from './host/browserCompiler';
import { CellRunner } from './host/cellRunner';
import { browserSavedModels, memorySavedModels, type SavedModelStore } from './host/savedModels';
import { requestedBackend } from './host/requestedBackend';
import { SandboxHost } from './host/SandboxHost';

export type { Diagnostic } from './compiler/compileCell';
export type { ConsoleEntry, Display, Metrics, MetricValue, Preview, SavedModel } from './protocol';
export type { FitState, OutputItem, RunError, RunState, RunStatus } from './host/runState';
export { initialRunState, isActive, isTraining } from './host/runState';
export type { SandboxStatus } from './host/SandboxHost';
export { browserStorage, clearDraft, draftKey, loadDraft, saveDraft, type Draft } from './host/drafts';
export { CellRunner } from './host/cellRunner';

let sandbox: SandboxHost | undefined;

/** The page's one sandbox (created on first use, in the browser only). */
export function getSandbox(): SandboxHost {
  sandbox ??= new SandboxHost(RUNTIME_ASSETS, SANDBOX_DATA_URLS, { backend: requestedBackend(location.search) });
  return sandbox;
}

export function compile(source: string, file?: string) {
  return compileInBrowser(RUNTIME_ASSETS.esbuildWasmUrl, source, file);
}

/** Starts everything a Run needs (compiler, warm sandbox) without waiting for it. */
export function warmUp(): void {
  getSandbox().start();
  loadCompiler(RUNTIME_ASSETS.esbuildWasmUrl)
    .then(() => compile('export {};'))
    .catch(() => {
      // The first real Run reports compiler problems where the student sees them.
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
