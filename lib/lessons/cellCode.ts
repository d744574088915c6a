import * as esbuild from 'esbuild';
import { compileCell, type CompiledCode } from '../../runtime/compiler/compileCell';
import { AuthoringError } from './errors';
import { highlightTypeScript } from './highlight';
import type { CellInfo, PreparedCell } from './types';

/**
 * Compiles the code of every cell (starters, and an exercise's solution and check) with the compiler
 * and options the browser uses, so that code which does not compile fails the build at its
 * `file:line:col` instead of greeting a student with a syntax error, and so that the page can run
 * unedited code without loading the compiler at all. Highlights the starter and solution for the page
 * to show before the editor loads. esbuild does not type-check; the lesson tests run the cells.
 */
export async function prepareCells(cells: readonly CellInfo[]): Promise<{ errors: AuthoringError[]; prepared: Record<string, PreparedCell> }> {
  const errors: AuthoringError[] = [];
  const prepared: Record<string, PreparedCell> = {};
  for (const cell of cells) {
    const compiled: Partial<Record<'starter' | 'solution' | 'check', CompiledCode>> = {};
    for (const { role, file, firstLine, code } of cell.code) {
      const result = await compileCell(esbuild, code, role === 'check' ? 'check.ts' : 'main.ts');
      if (result.ok) {
        compiled[role] = { code: result.code, map: result.map };
        continue;
      }
      const tag = cell.kind === 'exercise' ? 'Exercise' : 'CodeCell';
      for (const d of result.diagnostics.filter((d) => d.severity === 'error')) {
        errors.push(new AuthoringError(file, firstLine + d.line - 1, d.column, `the ${role} code of <${tag} id="${cell.id}"> does not compile: ${d.message}`));
      }
    }
    const source = (role: string) => cell.code.find((c) => c.role === role)?.code;
    const starter = source('starter');
    if (!compiled.starter || starter === undefined) continue;
    const solution = source('solution');
    prepared[cell.id] = {
      starter: compiled.starter,
      ...(compiled.solution ? { solution: compiled.solution } : {}),
      ...(compiled.check ? { check: compiled.check } : {}),
      highlighted: { starter: await highlightTypeScript(starter), ...(solution !== undefined ? { solution: await highlightTypeScript(solution) } : {}) },
    };
  }
  return { errors, prepared };
}
