import type { LocatedYaml } from './yamlLocate';

type Path = readonly (string | number)[];

/** Small readers that validate one field of a parsed YAML object and throw a located error. */
export function objectAt(y: LocatedYaml, value: unknown, path: Path, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw y.at(path, `${what} must be a mapping of keys to values`);
  }
  return value as Record<string, unknown>;
}

export function onlyKeys(y: LocatedYaml, obj: Record<string, unknown>, path: Path, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw y.atKey(path, key, `unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    }
  }
}

export function stringAt(y: LocatedYaml, obj: Record<string, unknown>, path: Path, key: string): string {
  const value = obj[key];
  if (value === undefined) throw y.at(path, `missing required key "${key}"`);
  if (typeof value !== 'string' || value.trim() === '') throw y.at([...path, key], `"${key}" must be a non-empty string`);
  return value;
}

export function optionalStringAt(y: LocatedYaml, obj: Record<string, unknown>, path: Path, key: string): string | undefined {
  return obj[key] === undefined ? undefined : stringAt(y, obj, path, key);
}

export function arrayAt(y: LocatedYaml, obj: Record<string, unknown>, path: Path, key: string): unknown[] {
  const value = obj[key];
  if (value === undefined) throw y.at(path, `missing required key "${key}"`);
  if (!Array.isArray(value) || value.length === 0) throw y.at([...path, key], `"${key}" must be a non-empty list`);
  return value;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugAt(y: LocatedYaml, obj: Record<string, unknown>, path: Path, key: string): string {
  const value = stringAt(y, obj, path, key);
  if (!SLUG.test(value)) throw y.at([...path, key], `"${value}" is not a valid slug (use lowercase letters, digits and dashes)`);
  return value;
}
