import { CODE_COLORS, monacoTokenRules } from '@/lib/editor/codeColors';
import type { Monaco } from './loadMonaco';

const LIGHT = 'course-light';
const DARK = 'course-dark';

const NONE = '#00000000';

/**
 * Monaco's own colours that made code fall short of 4.5:1 (axe-core checks them in the browser
 * tests): the last line's number, "dimmed" when the line is empty (1.7:1); code the checker finds
 * unused, faded to 3.5:1; and the shading behind the other occurrences of the word at the cursor
 * (3.2:1 for a keyword in dark). The number is drawn like the others; unused code is underlined
 * instead of faded, and occurrences are framed instead of shaded, so the text keeps its contrast.
 */
const readableExtras = (scheme: 'light' | 'dark') => {
  const frame = scheme === 'dark' ? '#ffffff66' : '#00000066';
  return {
    'editorLineNumber.dimmedForeground': CODE_COLORS.lineNumber[scheme],
    'editorUnnecessaryCode.opacity': '#000000ff',
    'editorUnnecessaryCode.border': '#8a8a8a',
    'editor.wordHighlightBackground': NONE,
    'editor.wordHighlightStrongBackground': NONE,
    'editor.wordHighlightTextBackground': NONE,
    'editor.selectionHighlightBackground': NONE,
    'editor.wordHighlightBorder': frame,
    'editor.wordHighlightStrongBorder': frame,
    'editor.wordHighlightTextBorder': frame,
    'editor.selectionHighlightBorder': frame,
  };
};

/** Held for the page's lifetime: a MediaQueryList nothing references can be collected with its listener. */
let systemScheme: MediaQueryList | undefined;

/** The reader's theme: an explicit choice on <html data-theme>, else the system preference. */
export function pageIsDark(): boolean {
  const choice = document.documentElement.dataset.theme;
  if (choice === 'light' || choice === 'dark') return choice === 'dark';
  return (systemScheme ?? window.matchMedia('(prefers-color-scheme: dark)')).matches;
}

/** Resolves a CSS colour (custom properties, light-dark()) as the page renders it now, as #rrggbb. */
function resolveColor(css: string): string | undefined {
  const probe = document.createElement('span');
  probe.style.cssText = `position:absolute;visibility:hidden;background-color:${css}`;
  document.body.append(probe);
  const rgb = getComputedStyle(probe).backgroundColor.match(/\d+(\.\d+)?/g);
  probe.remove();
  if (!rgb || rgb.length < 3 || rgb[3] === '0') return undefined;
  return '#' + rgb.slice(0, 3).map((part) => Math.round(Number(part)).toString(16).padStart(2, '0')).join('');
}

/**
 * Monaco's themes are page-wide. Follows the page: <html data-theme> changes from the theme toggle
 * and system preference changes both switch it live. The theme is (re)defined on the page's code
 * background as it is resolved at that moment, so the editor sits exactly where the placeholder was.
 */
export function followPageTheme(monaco: Monaco): void {
  const apply = () => {
    const dark = pageIsDark();
    const background = resolveColor('var(--code-bg)');
    const name = dark ? DARK : LIGHT;
    const scheme = dark ? 'dark' : 'light';
    // The colours the page highlighted the code in before the editor loaded (lib/editor/codeColors).
    monaco.editor.defineTheme(name, {
      base: dark ? 'vs-dark' : 'vs',
      inherit: true,
      rules: monacoTokenRules(scheme),
      colors: {
        'editor.foreground': CODE_COLORS.text[scheme],
        'editorLineNumber.foreground': CODE_COLORS.lineNumber[scheme],
        ...readableExtras(scheme),
        ...(background ? { 'editor.background': background } : {}),
      },
    });
    monaco.editor.setTheme(name);
  };
  apply();
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  systemScheme = window.matchMedia('(prefers-color-scheme: dark)');
  systemScheme.addEventListener('change', apply);
}
