/** The most classes a student may create (the lesson module takes them as one softmax head). */
export const MAX_CLASSES = 10;
export const MAX_CLASS_NAME_LENGTH = 30;

/** The class names an author wrote as `classes="circle, cross"`: trimmed, distinct, at most MAX_CLASSES. */
export function parseClassList(list: string | undefined): string[] {
  const names: string[] = [];
  for (const part of (list ?? '').split(',')) {
    const name = part.trim().slice(0, MAX_CLASS_NAME_LENGTH);
    if (name && !names.some((n) => sameName(n, name)) && names.length < MAX_CLASSES) names.push(name);
  }
  return names.length > 0 ? names : ['class 1', 'class 2'];
}

/** Why `name` cannot name a class next to `others`, or null when it can. */
export function classNameProblem(name: string, others: readonly string[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'A class needs a name.';
  if (trimmed.length > MAX_CLASS_NAME_LENGTH) return `Use at most ${MAX_CLASS_NAME_LENGTH} characters.`;
  if (others.some((other) => sameName(other, trimmed))) return `There is already a class called ${quoted(trimmed)}.`;
  return null;
}

/** A name like "class 3" that none of `existing` uses. */
export function newClassName(existing: readonly string[]): string {
  for (let n = existing.length + 1; ; n++) {
    const name = `class ${n}`;
    if (!existing.some((e) => sameName(e, name))) return name;
  }
}

/** A name as the pad shows it in running text: “circle”. */
export function quoted(name: string): string {
  return `\u201c${name}\u201d`;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The names as distinct, non-empty strings (storage edited by hand may have neither): "a", "a (2)", "class 3". */
export function distinctClassNames(classes: readonly string[]): string[] {
  const used: string[] = [];
  for (const [i, raw] of classes.entries()) {
    let name = raw.trim() || `class ${i + 1}`;
    for (let n = 2; used.includes(name); n++) name = `${raw.trim() || `class ${i + 1}`} (${n})`;
    used.push(name);
  }
  return used;
}
