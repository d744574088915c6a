import type { Monaco } from './loadMonaco';

const LIGHT = 'course-light';
const DARK = 'course-dark';

/**
 * Monaco's own token colours that fall below WCAG's 4.5:1 on the page's code background (--code-bg),
 * replaced by nearby ones that pass (axe-core checks them in the browser tests, both themes).
 */
const LIGHT_RULES = [
  { token: 'number', foreground: '087249' }, // 098658: 4.2:1
  { token: 'type', foreground: '006e75' }, // 008080: 4.4:1
];
const DARK_RULES = [
  { token: 'comment', foreground: '6a9955' }, // 608b4e: 4.45:1
  { token: 'regexp', foreground: 'd16969' }, // b46695: 4.4:1
];
// Line numbers; the last line's is "dimmed" when it is empty, which made it unreadable (1.7:1).
// Code the checker finds unused was faded to 3.5:1; it is underlined instead, at full contrast.
const UNUSED = { 'editorUnnecessaryCode.opacity': '#000000ff' };
const LIGHT_COLORS = { ...UNUSED, 'editorUnnecessaryCode.border': '#8a8a8a', 'editorLineNumber.foreground': '#1f6f87', 'editorLineNumber.dimmedForeground': '#1f6f87' };
const DARK_COLORS = { ...UNUSED, 'editorUnnecessaryCode.border': '#8a8a8a', 'editorLineNumber.dimmedForeground': '#858585' };

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
    const colors: Record<string, string> = { ...(dark ? DARK_COLORS : LIGHT_COLORS), ...(background ? { 'editor.background': background } : {}) };
    monaco.editor.defineTheme(name, { base: dark ? 'vs-dark' : 'vs', inherit: true, rules: dark ? DARK_RULES : LIGHT_RULES, colors });
    monaco.editor.setTheme(name);
  };
  apply();
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  systemScheme = window.matchMedia('(prefers-color-scheme: dark)');
  systemScheme.addEventListener('change', apply);
}
