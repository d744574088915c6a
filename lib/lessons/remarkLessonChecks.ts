import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Program } from 'estree';
import type { Code, Root, RootContent } from 'mdast';
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type {} from 'mdast-util-mdxjs-esm';
import type {} from 'mdast-util-to-hast';
import { toString } from 'mdast-util-to-string';
import type { Node } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { formatFigure, MEASURED_FILE, readMeasured, type MeasuredFile } from './measured';
import type { CellCode, CellInfo, Heading } from './types';

/**
 * Cell components whose code lives in real files next to the lesson. Each maps the attribute an author
 * writes (a path relative to the MDX file) to the prop the component receives (the file's text).
 */
export const CELL_FILE_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CodeCell: { src: 'code' },
  Exercise: { starter: 'code', solution: 'solutionCode', check: 'checkCode' },
};

/** Elements that must never reach a lesson page, even though MDX would accept them. */
const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form']);
const UNSAFE_URL = /^\s*(javascript|vbscript|data):/i;

export interface LessonChecksOptions {
  /** Component names lesson authors may use (the MDX registry). */
  allowedComponents: readonly string[];
  /** Receives the page's outline and cells as the plugin finds them. */
  collect: { headings: Heading[]; cells: CellInfo[] };
  /** Repository root, to report paths relative to it. */
  root: string;
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

/**
 * Remark plugin that enforces the authoring rules a lesson must follow and fails the build with the
 * offending line: only registry components, no raw scripts or script URLs, no imports, a heading outline
 * without skipped levels, and cells whose code files exist. It also inlines cell code files and gives
 * headings stable ids.
 */
export function remarkLessonChecks(options: LessonChecksOptions) {
  const allowed = new Set(options.allowedComponents);
  return (tree: Root, file: VFile): void => {
    const slugger = new GithubSlugger();
    const mdxDir = path.dirname(file.path);
    const cellIds = new Map<string, number>();
    let previousDepth = 1;

    visit(tree, (node: Node) => {
      const n = node as RootContent;
      switch (n.type) {
        case 'mdxjsEsm':
          // Nodes without a position are generated (mdx-bundler exports the frontmatter this way).
          if (n.position) file.fail('imports and exports are not allowed in lessons; use the components listed in components/mdx/registry.tsx', n);
          break;
        case 'heading': {
          if (n.depth === 1) file.fail('a lesson page must not contain a level-1 heading: the page title comes from the frontmatter "title"; use "##" for sections', n);
          if (n.depth > previousDepth + 1) {
            file.fail(`heading level skips from h${previousDepth} to h${n.depth}; use "${'#'.repeat(previousDepth + 1)}" here so the outline stays proper`, n);
          }
          previousDepth = n.depth;
          const text = toString(n);
          const id = slugger.slug(text);
          n.data = { ...n.data, hProperties: { ...n.data?.hProperties, id } };
          if (n.depth === 2 || n.depth === 3) options.collect.headings.push({ depth: n.depth, text, id });
          break;
        }
        case 'link':
        case 'definition':
        case 'image':
          if (UNSAFE_URL.test(n.url)) file.fail(`unsafe URL "${n.url.slice(0, 40)}" in a lesson: only http(s), relative and #anchor links are allowed`, n);
          break;
        case 'html':
          file.fail('raw HTML is not supported in lessons; use Markdown or a registry component', n);
          break;
        case 'mdxJsxFlowElement':
        case 'mdxJsxTextElement':
          checkElement(n, file, allowed);
          if (n.name === 'Measured') inlineMeasured(n, file, mdxDir);
          if (n.name && n.name in CELL_FILE_ATTRIBUTES) {
            options.collect.cells.push(prepareCell(n, file, mdxDir, options.root, cellIds));
          }
          break;
      }
    });
  };
}

function checkElement(node: JsxElement, file: VFile, allowed: ReadonlySet<string>): void {
  const name = node.name;
  if (name === null) return; // fragment
  if (name.includes('.') || name.includes(':')) file.fail(`<${name}> is not allowed; use a component from the registry`, node);
  const isComponent = /^[A-Z]/.test(name);
  if (isComponent && !allowed.has(name)) {
    file.fail(`unknown component <${name}>; lessons may use: ${[...allowed].sort().join(', ')}`, node);
  }
  if (!isComponent && FORBIDDEN_ELEMENTS.has(name.toLowerCase())) {
    file.fail(`<${name}> is not allowed in lessons (runnable code belongs in a <CodeCell>)`, node);
  }
  for (const attribute of node.attributes) {
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      file.fail(`spread attributes are not allowed on <${name}>`, attribute.position ? attribute : node);
      continue;
    }
    if (/^on/i.test(attribute.name)) file.fail(`event handler attribute "${attribute.name}" is not allowed in lessons`, attribute.position ? attribute : node);
    if (typeof attribute.value === 'string' && /^(href|src|action|formaction)$/i.test(attribute.name) && UNSAFE_URL.test(attribute.value)) {
      file.fail(`unsafe URL in ${attribute.name} on <${name}>: only http(s), relative and #anchor links are allowed`, attribute.position ? attribute : node);
    }
  }
}

function stringAttribute(node: JsxElement, name: string, file: VFile): string | undefined {
  const attribute = node.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name);
  if (!attribute) return undefined;
  if (typeof attribute.value !== 'string' || attribute.value.trim() === '') {
    file.fail(`<${node.name}> attribute "${name}" must be a non-empty string in quotes`, attribute.position ? attribute : node);
  }
  return attribute.value;
}

function setAttribute(node: JsxElement, name: string, value: string): void {
  node.attributes = node.attributes.filter((a) => a.type !== 'mdxJsxAttribute' || a.name !== name);
  node.attributes.push({ type: 'mdxJsxAttribute', name, value });
}

/** The most a cell may ask for: an hour. */
const MAX_TIME_BUDGET_S = 3600;

/** `timeBudget={600}` (seconds) must be a plain positive number, or every run would stop at once. */
function checkTimeBudget(node: JsxElement, file: VFile): void {
  const attribute = node.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === 'timeBudget');
  if (!attribute) return;
  const raw = typeof attribute.value === 'string' ? attribute.value : attribute.value?.value;
  const seconds = Number(raw);
  if (raw === undefined || raw === null || String(raw).trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIME_BUDGET_S) {
    file.fail(`<${node.name}> timeBudget must be a number of seconds between 1 and ${MAX_TIME_BUDGET_S}, like timeBudget={600}; got ${JSON.stringify(raw ?? null)}`, attribute.position ? attribute : node);
  }
  // Passed on as a number whether the author wrote "600" or {600}.
  node.attributes = node.attributes.filter((a) => a !== attribute);
  const estree: Program = { type: 'Program', sourceType: 'module', comments: [], body: [{ type: 'ExpressionStatement', expression: { type: 'Literal', value: seconds } }] };
  node.attributes.push({ type: 'mdxJsxAttribute', name: 'timeBudget', value: { type: 'mdxJsxAttributeValueExpression', value: String(seconds), data: { estree } } });
}

/** Replaces `<Measured name="..."/>` with the figure from the lesson's measured.json, or fails the build. */
function inlineMeasured(node: JsxElement, file: VFile, mdxDir: string): void {
  const name = stringAttribute(node, 'name', file);
  if (name === undefined) file.fail('<Measured> needs name="..." naming a figure in measured.json', node);
  let measured: MeasuredFile | null;
  try {
    measured = readMeasured(mdxDir);
  } catch (error) {
    file.fail(error instanceof Error ? error.message : String(error), node);
  }
  const figure = measured?.figures[name];
  if (!figure) {
    file.fail(`<Measured name="${name}">: no such figure in ${path.join(path.basename(mdxDir), MEASURED_FILE)}${measured ? ` (it has: ${Object.keys(measured.figures).join(', ')})` : ' (the file does not exist)'}`, node);
  }
  node.attributes = [];
  setAttribute(node, 'value', formatFigure(figure));
  setAttribute(node, 'source', `Measured by the cell "${figure.cell}": ${measured!.measuredOn}`);
}

/** Validates a cell's id, reads its code files into props, and returns what the build knows about it. */
function prepareCell(node: JsxElement, file: VFile, mdxDir: string, root: string, seen: Map<string, number>): CellInfo {
  const name = node.name as string;
  const line = node.position?.start.line ?? 0;
  const id = stringAttribute(node, 'id', file);
  if (id === undefined) file.fail(`<${name}> needs an id="..." (it keys the student's saved edits)`, node);
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) file.fail(`<${name}> id "${id}" must be lowercase letters, digits and dashes`, node);
  const previous = seen.get(id);
  if (previous !== undefined) file.fail(`duplicate cell id "${id}" (first used on line ${previous})`, node);
  seen.set(id, line);

  let source = 'inline';
  const codeFiles: CellCode[] = [];
  const fileAttributes = CELL_FILE_ATTRIBUTES[name] ?? {};
  for (const [attribute, prop] of Object.entries(fileAttributes)) {
    const relative = stringAttribute(node, attribute, file);
    if (relative === undefined) continue;
    const absolute = path.resolve(mdxDir, relative);
    if (!existsSync(absolute)) {
      file.fail(`<${name} id="${id}"> ${attribute}="${relative}": file not found (looked for ${path.relative(root, absolute)})`, node);
    }
    const text = readFileSync(absolute, 'utf8');
    setAttribute(node, prop, text);
    codeFiles.push({ role: attribute === 'src' ? 'starter' : (attribute as CellCode['role']), file: path.relative(root, absolute), firstLine: 1, code: text });
    node.attributes = node.attributes.filter((a) => a.type !== 'mdxJsxAttribute' || a.name !== attribute);
    if (attribute === 'src' || attribute === 'starter') source = path.relative(root, absolute);
  }

  checkTimeBudget(node, file);

  if (name === 'Exercise') {
    for (const attribute of ['starter', 'solution', 'check']) {
      if (!node.attributes.some((a) => a.type === 'mdxJsxAttribute' && a.name === CELL_FILE_ATTRIBUTES.Exercise![attribute])) {
        file.fail(`<Exercise id="${id}"> needs ${attribute}="./file.ts"${attribute === 'check' ? ': an exercise without a check cannot tell a student anything' : ''}`, node);
      }
    }
    if (stringAttribute(node, 'title', file) === undefined) file.fail(`<Exercise id="${id}"> needs a title="..." (it names the exercise in the outline)`, node);
    const code = node.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === 'code');
    setAttribute(node, 'codeHash', hashCode(String(code?.value ?? '')));
  }

  if (name === 'CodeCell') {
    const codeBlocks = node.children.filter((child): child is Code => child.type === 'code');
    const hasSrc = source !== 'inline';
    if (hasSrc && codeBlocks.length > 0) file.fail(`<CodeCell id="${id}"> has both src= and an inline code block; keep one`, node);
    if (!hasSrc) {
      const block = codeBlocks[0];
      if (!block || codeBlocks.length > 1) {
        file.fail(`<CodeCell id="${id}"> needs its code: src="./file.ts" or exactly one fenced \`\`\`ts block inside`, node);
      }
      setAttribute(node, 'code', block.value + '\n');
      codeFiles.push({ role: 'starter', file: path.relative(root, file.path), firstLine: (block.position?.start.line ?? 0) + 1, code: block.value + '\n' });
    }
    node.children = [];
    const code = node.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === 'code');
    setAttribute(node, 'codeHash', hashCode(String(code?.value ?? '')));
  }
  const title = name === 'Exercise' ? stringAttribute(node, 'title', file) : undefined;
  return { id, kind: name === 'Exercise' ? 'exercise' : 'code', source, line, ...(title ? { title } : {}), code: codeFiles };
}

/** A short, stable fingerprint of starter code, so a saved edit can tell that the lesson changed. */
export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 12);
}
