import ts from 'typescript';
import { createHighlighter, type HighlighterGeneric } from 'shiki';
import { INITIAL } from 'shiki/textmate';
import type { CodeColorKind } from '../editor/codeColors';
import type { HighlightedCode } from './types';


/** TypeScript's keywords, the list Monaco's TypeScript tokenizer colours as keywords too. */
const KEYWORDS: ReadonlySet<string> = new Set(
  Array.from({ length: ts.SyntaxKind.LastKeyword - ts.SyntaxKind.FirstKeyword + 1 }, (_, i) => ts.tokenToString(ts.SyntaxKind.FirstKeyword + i)).filter((k): k is string => !!k),
);

let highlighter: Promise<HighlighterGeneric<'typescript', never>> | undefined;

/**
 * Shiki's TypeScript grammar (the TextMate grammar VS Code uses) splits the code into tokens, so
 * strings, templates, regular expressions and comments come out exactly; each token then gets the
 * kind Monaco's tokenizer would give it (keywords by TypeScript's own list, capitalised names as
 * types), so the page's colours are the editor's and nothing changes colour when the editor takes over.
 */
export async function highlightTypeScript(code: string): Promise<HighlightedCode> {
  highlighter ??= createHighlighter({ themes: [], langs: ['typescript'] });
  const grammar = (await highlighter).getLanguage('typescript');
  let state = INITIAL;
  return code.replace(/\n$/, '').split('\n').map((line) => {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, state);
    state = ruleStack;
    const pieces: HighlightedCode[number] = [];
    for (const token of tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      if (text === '') continue;
      const kind = kindOf(text, token.scopes);
      const last = pieces.at(-1);
      if (last && last[1] === kind) last[0] += text;
      else pieces.push([text, kind]);
    }
    return pieces;
  });
}

function kindOf(text: string, scopes: readonly string[]): CodeColorKind {
  const has = (prefix: string) => scopes.some((s) => s.startsWith(prefix));
  if (has('comment')) return 'comment';
  if (has('string.regexp')) return 'regexp';
  // Inside a template literal's ${...} the code is code again.
  if (has('string') && !has('meta.template.expression')) return 'string';
  if (has('constant.numeric')) return 'number';
  const word = text.trim();
  if (/^[a-z_$#][\w$]*$/.test(word) && KEYWORDS.has(word)) return 'keyword';
  if (/^[A-Z][\w$]*$/.test(word)) return 'type';
  return 'text';
}
