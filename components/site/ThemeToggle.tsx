'use client';

import { useEffect, useState } from 'react';
import { THEME_KEY } from './themeScript';
import styles from './SiteHeader.module.css';

type ThemeChoice = 'system' | 'light' | 'dark';
const ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];
const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

function readChoice(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

function applyChoice(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Storage can be unavailable (private mode); the choice then lasts for this page only.
  }
}

/** Cycles the theme: follow the system, light, dark. The choice is remembered across visits. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice | null>(null);
  useEffect(() => setChoice(readChoice()), []);

  const current = choice ?? 'system';
  const next = ORDER[(ORDER.indexOf(current) + 1) % ORDER.length] as ThemeChoice;
  return (
    <button
      type="button"
      className={styles.themeToggle}
      onClick={() => {
        applyChoice(next);
        setChoice(next);
      }}
      aria-label={`${LABEL[current]}. Switch to ${LABEL[next].toLowerCase()}`}
      title={`Switch to ${LABEL[next].toLowerCase()}`}
      data-theme-choice={current}
    >
      <span aria-hidden="true">{ICON[current]}</span>
      <span className={styles.themeText}>{LABEL[current]}</span>
    </button>
  );
}
