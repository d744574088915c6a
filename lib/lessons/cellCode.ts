import * as esbuild from 'esbuild';
import { compileCell } from '../../runtime/compiler/compileCell';
import { AuthoringError } from './errors';
import type { CellInfo } from './types';

/**
 * Compiles the code of every cell (starters, and an exercise's solution and check) with the compiler
 * the browser uses, so code that does not compile fails the build at its `file:line:col` instead of
 * greeting a student with a syntax error. esbuild does not type-check; the lesson tests run the cells.
 */
export async function checkCellCode(cells: readonly CellInfo[]): Promise<AuthoringError[]> {
  const errors: AuthoringError[] = [];
  for (const cell of cells) {
    for (const { role, file, firstLine, code } of cell.code) {
      const result = await compileCell(esbuild, code, role === 'check' ? 'check.ts' : 'main.ts');
      if (result.ok) continue;
      const tag = cell.kind === 'exercise' ? 'Exercise' : 'CodeCell';
      for (const d of result.diagnostics.filter((d) => d.severity === 'error')) {
        errors.push(new AuthoringError(file, firstLine + d.line - 1, d.column, `the ${role} code of <${tag} id="${cell.id}"> does not compile: ${d.message}`));
      }
    }
  }
  return errors;
}
