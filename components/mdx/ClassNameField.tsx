'use client';

import { useEffect, useState, type KeyboardEvent } from 'react';
import { MAX_CLASS_NAME_LENGTH } from '../lesson/drawingClasses';
import styles from './DrawingPad.module.css';

export interface ClassNameFieldProps {
  label: number;
  name: string;
  disabled: boolean;
  errorId: string;
  check(value: string): string | null;
  onRename(value: string): void;
}

/** A class's name, edited in place: saved on Enter or when focus leaves, Escape puts the old name back. */
export function ClassNameField({ label, name, disabled, errorId, check, onRename }: ClassNameFieldProps) {
  const [value, setValue] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    setValue(name);
    setProblem(null);
  }, [name]);

  const commit = () => {
    if (value.trim() === name) {
      setValue(name);
      setProblem(null);
      return;
    }
    const found = check(value);
    setProblem(found);
    if (!found) onRename(value.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape') {
      setValue(name);
      setProblem(null);
    }
  };

  return (
    <span className={styles.nameField}>
      <input
        className={styles.nameInput}
        value={value}
        maxLength={MAX_CLASS_NAME_LENGTH}
        disabled={disabled}
        aria-label={`Name of class ${label + 1}`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        data-name-of={label}
        spellCheck={false}
        onChange={(event) => setValue(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <span id={errorId} className={styles.fieldError} role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
