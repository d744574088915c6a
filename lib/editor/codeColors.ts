/**
 * The colours of TypeScript code, light and dark, for both renderings of a cell: the highlighted code
 * the build writes into the page (lib/lessons/highlight.ts) and the Monaco editor that replaces it
 * (components/editor/pageTheme.ts). One table, so the two cannot drift apart. The kinds are those of
 * Monaco's TypeScript tokenizer; the colours are Monaco's own `vs` and `vs-dark` ones, darkened where
 * they fell short of 4.5:1 contrast on the page's code background (number and type, in light).
 */
export const CODE_COLORS = {
  text: { light: '#1d1f23', dark: '#e4e6ea' },
  keyword: { light: '#0000ff', dark: '#569cd6' },
  string: { light: '#a31515', dark: '#ce9178' },
  comment: { light: '#008000', dark: '#6a9955' },
  number: { light: '#067a50', dark: '#b5cea8' },
  type: { light: '#007070', dark: '#4ec9b0' },
  regexp: { light: '#800000', dark: '#d16969' },
  /** Line numbers in the gutter. */
  lineNumber: { light: '#5d6168', dark: '#9aa1ab' },
} as const;

export type CodeColorKind = Exclude<keyof typeof CODE_COLORS, 'lineNumber'>;

/** Monaco theme rules: its token types (with the `.ts` postfix matched by prefix) to these colours. */
export function monacoTokenRules(scheme: 'light' | 'dark'): { token: string; foreground: string }[] {
  const hex = (kind: keyof typeof CODE_COLORS) => CODE_COLORS[kind][scheme].slice(1);
  return [
    { token: '', foreground: hex('text') },
    { token: 'identifier', foreground: hex('text') },
    { token: 'delimiter', foreground: hex('text') },
    { token: 'keyword', foreground: hex('keyword') },
    { token: 'string', foreground: hex('string') },
    { token: 'comment', foreground: hex('comment') },
    { token: 'number', foreground: hex('number') },
    { token: 'type', foreground: hex('type') },
    { token: 'regexp', foreground: hex('regexp') },
  ];
}

/** The CSS colour of a kind, following the page's light or dark scheme (`color-scheme` on the root). */
export function cssColor(kind: keyof typeof CODE_COLORS): string {
  return `light-dark(${CODE_COLORS[kind].light}, ${CODE_COLORS[kind].dark})`;
}
