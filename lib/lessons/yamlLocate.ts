import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { AuthoringError } from './errors';

/** A parsed YAML document that can point at the line of any value it holds. */
export interface LocatedYaml {
  doc: Document.Parsed;
  /** Location of the node at `path`, or of its closest existing parent. */
  at(path: readonly (string | number)[], reason: string): AuthoringError;
  /** Location of the key `key` inside the mapping at `path` (where a typo in a key name is). */
  atKey(path: readonly (string | number)[], key: string, reason: string): AuthoringError;
  /** Where the node at `path` is written, to report later mistakes about what it names. */
  site(path: readonly (string | number)[]): { file: string; line?: number; column?: number };
}

/**
 * Parses YAML text, turning syntax errors into AuthoringErrors located in `file`.
 * `lineOffset` shifts reported lines, for YAML embedded in a larger file (frontmatter).
 */
export function parseLocatedYaml(text: string, file: string, lineOffset = 0): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const reason = first.code === 'DUPLICATE_KEY' ? 'this key appears twice in the same mapping; each name may be declared once' : `invalid YAML: ${firstLine(first.message)}`;
    throw new AuthoringError(file, pos.line + lineOffset, pos.col, reason);
  }
  const locate = (offset: number | undefined, reason: string): AuthoringError => {
    if (offset === undefined) return new AuthoringError(file, undefined, undefined, reason);
    const pos = lineCounter.linePos(offset);
    return new AuthoringError(file, pos.line + lineOffset, pos.col, reason);
  };
  return {
    doc,
    at(path, reason) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
        if (node && (isScalar(node) || isMap(node) || isSeq(node)) && node.range) {
          return locate(node.range[0], reason);
        }
      }
      return locate(doc.contents?.range?.[0], reason);
    },
    atKey(path, key, reason) {
      const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) return locate(pair.key.range[0], reason);
      }
      return this.at([...path, key], reason);
    },
    site(path) {
      const { line, column } = this.at(path, '');
      return { file, line, column };
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
