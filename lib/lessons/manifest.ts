import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AuthoringError, AuthoringErrors } from './errors';
import { readAssetDeclarations } from './assetDeclarations';
import { arrayAt, objectAt, onlyKeys, optionalStringAt, slugAt, stringAt } from './validate';
import { parseLocatedYaml } from './yamlLocate';

export interface ManifestPage {
  slug: string;
  /** Path relative to the repository root. */
  file: string;
}

/** A model a lesson declares: a TensorFlow.js LayersModel (model.json next to its weight files). */
export interface ModelDeclaration {
  name: string;
  /** model.json, relative to the repository root. */
  file: string;
  /** Where the declaration is written, for errors about the files it names. */
  where: DeclarationSite;
}

/** A data set a lesson declares, in one of the forms `course.yaml` accepts. */
export type DatasetDeclaration = { name: string; where: DeclarationSite } & (
  /** One subfolder per class of PNG or JPEG files, decoded and resized at build time. */
  | { kind: 'images'; dir: string; size: [height: number, width: number]; channels: 1 | 3 }
  /** A CSV file with a header row. */
  | { kind: 'csv'; file: string }
  /** An image set already packed in the runtime/data/imageSet format by a committed script. */
  | { kind: 'imageset'; file: string }
);

export interface DeclarationSite {
  file: string;
  line?: number;
  column?: number;
}

export interface ManifestLesson {
  slug: string;
  title: string;
  summary?: string;
  pages: ManifestPage[];
  models: ModelDeclaration[];
  datasets: DatasetDeclaration[];
}

export interface Manifest {
  title: string;
  description?: string;
  lessons: ManifestLesson[];
}

export const MANIFEST_NAME = 'course.yaml';

/**
 * Reads and validates `content/course.yaml`: shape, unique slugs, that every listed page exists,
 * and that every lesson file under `content/` is listed (an unlisted lesson would silently vanish).
 */
export function readManifest(root: string, contentDir = 'content'): Manifest {
  const manifestFile = path.posix.join(contentDir, MANIFEST_NAME);
  const absolute = path.join(root, manifestFile);
  if (!existsSync(absolute)) {
    throw new AuthoringError(manifestFile, undefined, undefined, 'the course manifest is missing');
  }
  const y = parseLocatedYaml(readFileSync(absolute, 'utf8'), manifestFile);
  const top = objectAt(y, y.doc.toJS(), [], 'the manifest');
  onlyKeys(y, top, [], ['title', 'description', 'lessons']);

  const lessonSlugs = new Set<string>();
  const listedFiles = new Map<string, (string | number)[]>();
  const lessons = arrayAt(y, top, [], 'lessons').map((rawLesson, li): ManifestLesson => {
    const lp = ['lessons', li];
    const lesson = objectAt(y, rawLesson, lp, 'a lesson');
    onlyKeys(y, lesson, lp, ['slug', 'title', 'summary', 'models', 'datasets', 'pages']);
    const slug = slugAt(y, lesson, lp, 'slug');
    if (lessonSlugs.has(slug)) throw y.at([...lp, 'slug'], `duplicate lesson slug "${slug}"`);
    lessonSlugs.add(slug);

    const pageSlugs = new Set<string>();
    const pages = arrayAt(y, lesson, lp, 'pages').map((rawPage, pi): ManifestPage => {
      const pp = [...lp, 'pages', pi];
      const page = objectAt(y, rawPage, pp, 'a page');
      onlyKeys(y, page, pp, ['slug', 'file']);
      const pageSlug = slugAt(y, page, pp, 'slug');
      if (pageSlugs.has(pageSlug)) throw y.at([...pp, 'slug'], `duplicate page slug "${pageSlug}" in lesson "${slug}"`);
      pageSlugs.add(pageSlug);
      const relative = stringAt(y, page, pp, 'file');
      if (!relative.endsWith('.mdx')) throw y.at([...pp, 'file'], `"${relative}" must be an .mdx file`);
      const file = path.posix.normalize(path.posix.join(contentDir, relative));
      if (!file.startsWith(contentDir + '/')) throw y.at([...pp, 'file'], `"${relative}" points outside ${contentDir}/`);
      if (!existsSync(path.join(root, file))) throw y.at([...pp, 'file'], `page file "${file}" does not exist`);
      if (listedFiles.has(file)) throw y.at([...pp, 'file'], `"${file}" is listed twice`);
      listedFiles.set(file, [...pp, 'file']);
      return { slug: pageSlug, file };
    });
    const { models, datasets } = readAssetDeclarations(y, root, contentDir, lesson, lp);
    return {
      slug,
      title: stringAt(y, lesson, lp, 'title'),
      summary: optionalStringAt(y, lesson, lp, 'summary'),
      pages,
      models,
      datasets,
    };
  });

  const unlisted = findMdxFiles(root, contentDir)
    .filter((file) => !listedFiles.has(file))
    .map(
      (file) =>
        new AuthoringError(file, undefined, undefined, `this lesson page is not listed in ${manifestFile}; add it to a lesson's "pages" or delete it`),
    );
  if (unlisted.length > 0) throw new AuthoringErrors(unlisted);

  return { title: stringAt(y, top, [], 'title'), description: optionalStringAt(y, top, [], 'description'), lessons };
}

function findMdxFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findMdxFiles(root, relative));
    else if (entry.name.endsWith('.mdx')) out.push(relative);
  }
  return out.sort();
}
