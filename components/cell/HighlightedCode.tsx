import { memo, useMemo } from 'react';
import { cssColor, type CODE_COLORS } from '@/lib/editor/codeColors';
import type { HighlightedCode as Highlighted } from '@/lib/lessons/types';
import styles from './CodeCell.module.css';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colored = (kind: keyof typeof CODE_COLORS) => `style="color:${cssColor(kind)}"`;

/** The lines as markup: one `[data-line]` span per line, its number, then its pieces in their colours. */
function linesHtml(rows: Highlighted): string {
  return rows
    .map((pieces, i) => {
      const code = pieces.map(([piece, kind]) => (kind === 'text' ? escapeHtml(piece) : `<span ${colored(kind)}>${escapeHtml(piece)}</span>`)).join('');
      return `<span class="${styles.codeLine}" data-line="${i + 1}"><span class="${styles.lineNumber}" ${colored('lineNumber')} aria-hidden="true">${i + 1}</span>${code}\n</span>`;
    })
    .join('');
}

/**
 * A cell's code as the build highlighted it, laid out like the editor that replaces it: the same font,
 * line height, padding and line-number gutter, so no line moves when Monaco takes over. Plain text
 * (a student's saved edit, which the build never saw) comes without colours.
 *
 * The lines are markup React does not manage (a few thousand spans on a lesson page): hydration passes
 * over them, and re-rendering a cell (its status changes many times) leaves them alone.
 */
export const HighlightedCode = memo(function HighlightedCode({ lines, text }: { lines?: Highlighted; text: string }) {
  const html = useMemo(() => linesHtml(lines ?? text.replace(/\n$/, '').split('\n').map((line) => [[line, 'text']])), [lines, text]);
  return <code className={styles.codeLines} style={{ color: cssColor('text') }} dangerouslySetInnerHTML={{ __html: html }} />;
});
