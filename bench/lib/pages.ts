import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
export const PAGES_DIR = path.join(BENCH_DIR, 'build', 'pages');
export const PYODIDE_DIR = path.resolve(BENCH_DIR, '..', 'node_modules', 'pyodide');

const html = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;

/**
 * Builds the reference pages into bench/build/pages (ignored by git): the bare tfjs page, the compile
 * page, and, when the `pyodide` npm package is installed, a page that starts Pyodide.
 */
export async function buildReferencePages(): Promise<{ pyodide: boolean }> {
  rmSync(PAGES_DIR, { recursive: true, force: true });
  mkdirSync(PAGES_DIR, { recursive: true });
  const common = { bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, logLevel: 'error', alias: { '@': path.resolve(BENCH_DIR, '..') } } as const;
  await build({ ...common, entryPoints: [path.join(BENCH_DIR, 'browser', 'bare.ts')], outfile: path.join(PAGES_DIR, 'bench-bare.js') });
  await build({ ...common, entryPoints: [path.join(BENCH_DIR, 'browser', 'compile.ts')], outfile: path.join(PAGES_DIR, 'bench-compile.js') });
  writeFileSync(
    path.join(PAGES_DIR, 'bench-bare.html'),
    html('bare tfjs', '<script src="/_gen/vendor/tf.min.js"></script><script src="/_gen/vendor/tf-backend-wasm.min.js"></script><script src="/bench-bare.js"></script>'),
  );
  writeFileSync(path.join(PAGES_DIR, 'bench-compile.html'), html('esbuild-wasm compile', '<script src="/bench-compile.js"></script>'));
  const pyodide = existsSync(path.join(PYODIDE_DIR, 'pyodide.js'));
  if (pyodide) {
    // Time to the first printed line counts from navigation start (performance.now()).
    const script = `
      window.__pyodide = { printedAt: null, error: null };
      const s = document.createElement('script');
      s.src = '/pyodide/pyodide.js';
      s.onload = async () => {
        try {
          const py = await loadPyodide({ indexURL: '/pyodide/', stdout: (line) => { if (window.__pyodide.printedAt === null && line.includes('hello from python')) window.__pyodide.printedAt = performance.now(); } });
          py.runPython("print('hello from python')");
        } catch (e) { window.__pyodide.error = String(e); }
      };
      document.head.append(s);`;
    writeFileSync(path.join(PAGES_DIR, 'bench-pyodide.html'), html('pyodide', `<script>${script}</script>`));
  }
  return { pyodide };
}
