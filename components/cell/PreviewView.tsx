import type { ReactNode } from 'react';
import type { Preview } from '@/runtime';
import styles from './Output.module.css';

/**
 * Renders a console value the way browser consoles do. Everything is React text: nothing the sandbox
 * sends can become HTML.
 */
export function PreviewView({ value, nested = false }: { value: Preview; nested?: boolean }): ReactNode {
  switch (value.k) {
    case 'undefined':
    case 'null':
      return <span className={styles.vNull}>{value.k}</span>;
    case 'boolean':
      return <span className={styles.vKeyword}>{String(value.v)}</span>;
    case 'number':
      return <span className={styles.vNumber}>{value.v}</span>;
    case 'bigint':
      return <span className={styles.vNumber}>{value.v}n</span>;
    case 'string': {
      const cut = value.cut ? <span className={styles.vMuted}>{`… (${value.cut.toLocaleString('en-US')} more characters)`}</span> : null;
      return nested ? (
        <span className={styles.vString}>
          &apos;{value.v}
          {cut}&apos;
        </span>
      ) : (
        <span>
          {value.v}
          {cut}
        </span>
      );
    }
    case 'symbol':
      return <span className={styles.vString}>{value.v}</span>;
    case 'function':
      return <span className={styles.vKeyword}>{`ƒ ${value.name || '(anonymous)'}()`}</span>;
    case 'array':
      return <ArrayView value={value} />;
    case 'object':
      return (
        <span>
          {value.name !== 'Object' && <span className={styles.vMuted}>{value.name} </span>}
          {'{'}
          {value.entries.map(([key, v], i) => (
            <span key={i}>
              {i > 0 && ', '}
              <span className={styles.vKey}>{key}</span>: <PreviewView value={v} nested />
            </span>
          ))}
          {value.more > 0 && <span className={styles.vMuted}>{`, … ${value.more} more`}</span>}
          {'}'}
        </span>
      );
    case 'map':
      return (
        <span>
          <span className={styles.vMuted}>{`Map(${value.size}) `}</span>
          {'{'}
          {value.entries.map(([k, v], i) => (
            <span key={i}>
              {i > 0 && ', '}
              <PreviewView value={k} nested /> =&gt; <PreviewView value={v} nested />
            </span>
          ))}
          {value.size > value.entries.length && <span className={styles.vMuted}>{`, … ${value.size - value.entries.length} more`}</span>}
          {'}'}
        </span>
      );
    case 'set':
      return (
        <span>
          <span className={styles.vMuted}>{`Set(${value.size}) `}</span>
          {'{'}
          {value.items.map((v, i) => (
            <span key={i}>
              {i > 0 && ', '}
              <PreviewView value={v} nested />
            </span>
          ))}
          {value.size > value.items.length && <span className={styles.vMuted}>{`, … ${value.size - value.items.length} more`}</span>}
          {'}'}
        </span>
      );
    case 'error':
      return (
        <span className={styles.vError}>
          {value.name}: {value.message}
        </span>
      );
    case 'date':
      return <span className={styles.vKeyword}>{value.v}</span>;
    case 'regexp':
      return <span className={styles.vString}>{value.v}</span>;
    case 'tensor':
      return <TensorView value={value} />;
    case 'circular':
      return <span className={styles.vMuted}>[Circular]</span>;
    case 'deep':
      return <span className={styles.vMuted}>[…]</span>;
    case 'getter':
      return <span className={styles.vMuted}>[Getter]</span>;
    case 'opaque':
      return <span className={styles.vMuted}>[{value.v}]</span>;
  }
}

function ArrayView({ value }: { value: Extract<Preview, { k: 'array' }> }) {
  const more = value.length - value.items.length;
  return (
    <span>
      {(value.name !== 'Array' || more > 0) && <span className={styles.vMuted}>{`${value.name}(${value.length}) `}</span>}[
      {value.items.map((item, i) => (
        <span key={i}>
          {i > 0 && ', '}
          <PreviewView value={item} nested />
        </span>
      ))}
      {more > 0 && <span className={styles.vMuted}>{`, … ${more} more`}</span>}]
    </span>
  );
}

/** Formats tensor values as aligned nested rows, like `tensor.print()`. */
function TensorView({ value }: { value: Extract<Preview, { k: 'tensor' }> }) {
  const header = `Tensor ${value.dtype} [${value.shape.join(', ')}]`;
  if (value.disposed) return <span className={styles.vMuted}>{`${header} (disposed)`}</span>;
  return (
    <span className={styles.tensor}>
      <span className={styles.vMuted}>{header}</span>
      {value.values ? <span className={styles.tensorValues}>{'\n' + formatTensorValues(value.values, 0)}</span> : <span className={styles.vMuted}>{value.size > 1_000_000 ? ' (too large to show values)' : ' (values could not be read)'}</span>}
    </span>
  );
}

export function formatTensorValues(values: Preview, indent: number): string {
  if (values.k !== 'array') return scalarText(values);
  const more = values.length - values.items.length;
  const nestedRows = values.items.length > 0 && values.items[0]!.k === 'array';
  const parts = values.items.map((item) => formatTensorValues(item, indent + 1));
  if (more > 0) parts.push('…');
  if (!nestedRows) return `[${parts.join(', ')}]`;
  return `[${parts.join(',\n' + ' '.repeat(indent + 1))}]`;
}

function scalarText(value: Preview): string {
  if (value.k === 'number') {
    const n = Number(value.v);
    return Number.isInteger(n) || !Number.isFinite(n) ? value.v : String(Number(n.toPrecision(6)));
  }
  if (value.k === 'string') return `'${value.v}'`;
  if (value.k === 'boolean') return String(value.v);
  return '?';
}
