import { cssColor } from '@/lib/editor/codeColors';
import type { HighlightedCode as Highlighted } from '@/lib/lessons/types';
import styles from './CodeCell.module.css';

/**
 * A cell's code as the build highlighted it, laid out like the editor that replaces it: the same font,
 * line height, padding and line-number gutter, so no line moves when Monaco takes over. Plain text
 * (a student's saved edit, which the build never saw) comes without colours.
 */
export function HighlightedCode({ lines, text }: { lines?: Highlighted; text: string }) {
  const rows: Highlighted = lines ?? text.replace(/\n$/, '').split('\n').map((line) => [[line, 'text']]);
  return (
    <code className={styles.codeLines} style={{ color: cssColor('text') }}>
      {rows.map((pieces, i) => (
        <span key={i} className={styles.codeLine} data-line={i + 1}>
          <span className={styles.lineNumber} style={{ color: cssColor('lineNumber') }} aria-hidden="true">
            {i + 1}
          </span>
          {pieces.map(([piece, kind], j) => (kind === 'text' ? piece : <span key={j} style={{ color: cssColor(kind) }}>{piece}</span>))}
          {'\n'}
        </span>
      ))}
    </code>
  );
}
