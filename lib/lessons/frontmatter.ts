import { AuthoringError } from './errors';
import type { PageFrontmatter } from './types';
import { objectAt, onlyKeys, optionalStringAt, stringAt } from './validate';
import { parseLocatedYaml } from './yamlLocate';

const FENCE = /^---[ \t]*$/;

/** Parses and validates the YAML frontmatter at the top of a lesson page, reporting file:line:col. */
export function readFrontmatter(source: string, file: string): PageFrontmatter {
  const lines = source.split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) {
    throw new AuthoringError(file, 1, 1, 'a lesson page must start with frontmatter: a "---" line, "title: ...", and a closing "---"');
  }
  const end = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (end === -1) throw new AuthoringError(file, 1, 1, 'the frontmatter is never closed: add a "---" line after it');
  const y = parseLocatedYaml(lines.slice(1, end).join('\n'), file, 1);
  const data = objectAt(y, y.doc.toJS() ?? {}, [], 'the frontmatter');
  onlyKeys(y, data, [], ['title', 'description']);
  return { title: stringAt(y, data, [], 'title'), description: optionalStringAt(y, data, [], 'description') };
}
