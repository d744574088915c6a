import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DatasetDeclaration, ModelDeclaration } from './manifest';
import { objectAt, onlyKeys } from './validate';
import type { LocatedYaml } from './yamlLocate';

type Path = readonly (string | number)[];

/** Names of a lesson's models and data sets: what cells pass to lesson.loadModel and friends. */
export const ASSET_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const MAX_IMAGE_SIDE = 512;
const DATASET_FORMS = ['images', 'csv', 'imageset'] as const;

/**
 * Reads a lesson's `models:` and `datasets:` from course.yaml. Paths are relative to content/ and must
 * exist; what the files hold is checked when the assets are built (lib/lessons/assets/).
 */
export function readAssetDeclarations(
  y: LocatedYaml,
  root: string,
  contentDir: string,
  lesson: Record<string, unknown>,
  lp: Path,
): { models: ModelDeclaration[]; datasets: DatasetDeclaration[] } {
  const entries = (key: 'models' | 'datasets') => {
    const value = lesson[key];
    if (value === undefined || value === null) return [];
    return Object.entries(objectAt(y, value, [...lp, key], `"${key}"`)).map(([name, declaration]) => {
      const at: Path = [...lp, key, name];
      if (!ASSET_NAME.test(name)) {
        throw y.atKey([...lp, key], name, `"${name}" cannot name a ${key === 'models' ? 'model' : 'data set'}: use lowercase letters, digits and dashes (at most 40), e.g. "my-model"`);
      }
      return { name, declaration, at };
    });
  };

  const existing = (at: Path, relative: unknown, what: 'file' | 'folder', ext?: string): string => {
    if (typeof relative !== 'string' || relative.trim() === '') throw y.at(at, `expected the path of a ${what}, relative to ${contentDir}/`);
    const file = path.posix.normalize(path.posix.join(contentDir, relative));
    if (!file.startsWith(contentDir + '/')) throw y.at(at, `"${relative}" points outside ${contentDir}/`);
    if (ext && !file.toLowerCase().endsWith(ext)) throw y.at(at, `"${relative}" must be a ${ext} file`);
    const absolute = path.join(root, file);
    if (!existsSync(absolute)) throw y.at(at, `${what} "${file}" does not exist`);
    const isDirectory = statSync(absolute).isDirectory();
    if (what === 'folder' && !isDirectory) throw y.at(at, `"${file}" is a file; an image data set is a folder with one subfolder per class`);
    if (what === 'file' && isDirectory) throw y.at(at, `"${file}" is a folder, not a ${ext ?? ''} file`.replace(/ {2,}/g, ' '));
    return file;
  };

  const models = entries('models').map(({ name, declaration, at }): ModelDeclaration => ({
    name,
    file: existing(at, declaration, 'file', '.json'),
    where: y.site(at),
  }));

  const datasets = entries('datasets').map(({ name, declaration, at }): DatasetDeclaration => {
    const where = y.site(at);
    const spec = objectAt(y, declaration, at, `the data set "${name}"`);
    const forms = DATASET_FORMS.filter((form) => spec[form] !== undefined);
    if (forms.length !== 1) {
      throw y.at(at, `the data set "${name}" needs exactly one of ${DATASET_FORMS.map((f) => `"${f}"`).join(', ')} (found ${forms.length === 0 ? 'none' : forms.join(' and ')})`);
    }
    const form = forms[0]!;
    if (form === 'csv') {
      onlyKeys(y, spec, at, ['csv']);
      return { name, where, kind: 'csv', file: existing([...at, 'csv'], spec.csv, 'file', '.csv') };
    }
    if (form === 'imageset') {
      onlyKeys(y, spec, at, ['imageset']);
      return { name, where, kind: 'imageset', file: existing([...at, 'imageset'], spec.imageset, 'file') };
    }
    onlyKeys(y, spec, at, ['images', 'size', 'channels']);
    const dir = existing([...at, 'images'], spec.images, 'folder');
    const size = spec.size;
    const side = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_IMAGE_SIDE;
    if (!Array.isArray(size) || size.length !== 2 || !size.every(side)) {
      throw y.at([...at, 'size'], `"size" must be [height, width] in pixels, each a whole number from 1 to ${MAX_IMAGE_SIDE}, e.g. size: [32, 32]`);
    }
    const channels = spec.channels;
    if (channels !== 1 && channels !== 3) throw y.at([...at, 'channels'], '"channels" must be 1 (grayscale) or 3 (RGB)');
    return { name, where, kind: 'images', dir, size: [size[0] as number, size[1] as number], channels };
  });

  const modelNames = new Set(models.map((m) => m.name));
  const clash = datasets.find((d) => modelNames.has(d.name));
  if (clash) throw y.at([...lp, 'datasets', clash.name], `"${clash.name}" is declared as both a model and a data set; give each its own name`);
  return { models, datasets };
}
