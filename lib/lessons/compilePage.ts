import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Message } from 'esbuild';
import { bundleMDX } from 'mdx-bundler';
import remarkGfm from 'remark-gfm';
import { AuthoringError, AuthoringErrors } from './errors';
import { readFrontmatter } from './frontmatter';
import { remarkLessonChecks } from './remarkLessonChecks';
import type { CellInfo, CompiledPage, Heading } from './types';

/**
 * Compiles one lesson page with mdx-bundler. Every authoring mistake surfaces as an AuthoringError
 * (or several) located at `file:line:col`, so the build stops with something an author can act on.
 */
export async function compilePage(root: string, file: string, allowedComponents: readonly string[]): Promise<CompiledPage> {
  const absolute = path.join(root, file);
  const frontmatter = readFrontmatter(readFileSync(absolute, 'utf8'), file);
  const collect: { headings: Heading[]; cells: CellInfo[] } = { headings: [], cells: [] };
  try {
    const result = await bundleMDX({
      file: absolute,
      cwd: path.dirname(absolute),
      mdxOptions(options) {
        options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm, [remarkLessonChecks, { allowedComponents, collect, root }]];
        return options;
      },
      esbuildOptions(options) {
        options.logLevel = 'silent';
        return options;
      },
    });
    return { code: result.code, frontmatter, headings: collect.headings, cells: collect.cells, prepared: {} };
  } catch (error) {
    throw toAuthoringError(error, root, file);
  }
}

interface EsbuildFailure {
  errors: Message[];
}

function isEsbuildFailure(error: unknown): error is EsbuildFailure {
  return typeof error === 'object' && error !== null && Array.isArray((error as { errors?: unknown }).errors);
}

function toAuthoringError(error: unknown, root: string, file: string): Error {
  if (error instanceof AuthoringError || error instanceof AuthoringErrors) return error;
  if (!isEsbuildFailure(error) || error.errors.length === 0) {
    return new AuthoringError(file, undefined, undefined, error instanceof Error ? error.message : String(error));
  }
  const located = error.errors.map((message) => {
    const location = message.location;
    const where = location?.file ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), location.file)) : file;
    return new AuthoringError(
      where.startsWith('..') ? file : where,
      location && location.line > 0 ? location.line : undefined,
      location && location.line > 0 ? location.column + 1 : undefined,
      describe(message),
    );
  });
  return located.length === 1 ? (located[0] as AuthoringError) : new AuthoringErrors(located);
}

/** The reason without @mdx-js/esbuild's generic wrapper ("Cannot process MDX file with esbuild"). */
function describe(message: Message): string {
  const detail = message.detail as { cause?: { reason?: unknown; message?: unknown } } | undefined;
  const cause = detail?.cause;
  const reason = typeof cause?.reason === 'string' ? cause.reason : typeof cause?.message === 'string' ? cause.message : message.text;
  return reason.replace(/^Cannot process MDX file with esbuild:\s*/, '').split('\n')[0] ?? reason;
}
