import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { loadCourse } from '@/lib/lessons/course';
import { LESSON_ASSET_BUDGET_BYTES } from '@/lib/lessons/assets';
import { parseImageSet } from '@/runtime/data/imageSet';
import { fixture, GOOD_PAGE } from './fixture';

/** A course with one lesson ("shapes-lesson") that declares `assets` (YAML lines under the lesson). */
function manifest(assets: string): string {
  return `title: Test course
lessons:
  - slug: shapes-lesson
    title: Shapes
${assets
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
    pages:
      - slug: one
        file: shapes-lesson/one.mdx
`;
}

/** A PNG of `width` x `height` whose every pixel is `rgba`. */
function png(width: number, height: number, rgba: [number, number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set(rgba, i * 4);
  return PNG.sync.write(image);
}

function jpg(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return jpeg.encode({ data, width, height }, 95).data;
}

/** A one-dense-layer LayersModel as tf.LayersModel.save writes it, with `weightBytes` of weights on disk. */
function layersModel(weightBytes = 16): Record<string, string | Buffer> {
  const modelJson = {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'net', layers: [] } },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }] }],
  };
  return {
    'content/shapes-lesson/models/shape-net/model.json': JSON.stringify(modelJson),
    'content/shapes-lesson/models/shape-net/weights.bin': Buffer.alloc(weightBytes),
  };
}

const page = { 'content/shapes-lesson/one.mdx': GOOD_PAGE };

/** Writes files (text or bytes) into a fixture repository. */
function repo(files: Record<string, string | Buffer>): string {
  const texts = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const root = fixture(texts);
  for (const [name, bytes] of Object.entries(files)) {
    if (typeof bytes === 'string') continue;
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), bytes);
  }
  return root;
}

async function authoringError(files: Record<string, string | Buffer>): Promise<string> {
  const error = await loadCourse(repo(files), MDX_COMPONENT_NAMES).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the course to fail to load');
  return error.message;
}

const ASSETS = `
models:
  shape-net: shapes-lesson/models/shape-net/model.json
datasets:
  shapes: { images: shapes-lesson/data/shapes, size: [4, 6], channels: 1 }
  points: { csv: shapes-lesson/data/points.csv }
`;

const SHAPES = {
  'content/shapes-lesson/data/shapes/square/a.png': png(40, 20, [255, 255, 255, 255]),
  'content/shapes-lesson/data/shapes/square/b.jpg': jpg(8, 8, [200, 200, 200]),
  'content/shapes-lesson/data/shapes/circle/deep/c.png': png(3, 3, [0, 0, 255, 255]),
  'content/shapes-lesson/data/shapes/.DS_Store': 'finder junk, ignored',
};
const POINTS = 'x,y,label\n1,2.5,inside\n-3,4e2,outside\n';

describe('lesson assets', () => {
  it('packs declared models, image folders and CSV files, and names them as types for the cells', async () => {
    const root = repo({ 'content/course.yaml': manifest(ASSETS), ...page, ...layersModel(), ...SHAPES, 'content/shapes-lesson/data/points.csv': POINTS });
    const { course } = await loadCourse(root, MDX_COMPONENT_NAMES, { writeAssetsTo: path.join(root, 'public') });
    const lesson = course.lessons[0]!;
    const url = (u: string) => path.join(root, 'public', u);

    expect(lesson.assets.models['shape-net']!.url).toMatch(/^\/_gen\/lessons\/shapes-lesson\/models\/shape-net-[0-9a-f]{12}\/model\.json$/);
    expect(existsSync(url(lesson.assets.models['shape-net']!.url.replace('model.json', 'weights.bin')))).toBe(true);

    const shapes = lesson.assets.datasets.shapes!;
    expect(shapes.kind).toBe('images');
    const set = parseImageSet(readFileSync(url(shapes.url)));
    expect(set).toMatchObject({ classes: ['circle', 'square'], count: 3, width: 6, height: 4, channels: 1 });
    expect([...set.labels]).toEqual([0, 1, 1]);
    // Blue converts to gray as PIL does (0.114 * 255), white stays white, the JPEG's gray survives.
    expect(set.pixels.slice(0, 24).every((p) => p === 29)).toBe(true);
    expect(set.pixels.slice(24, 48).every((p) => p === 255)).toBe(true);
    expect(Math.abs(set.pixels[48]! - 200)).toBeLessThanOrEqual(2);

    const points = lesson.assets.datasets.points!;
    expect(points.kind).toBe('table');
    expect(JSON.parse(readFileSync(url(points.url), 'utf8'))).toEqual({ columns: ['x', 'y', 'label'], rows: [[1, 2.5, 'inside'], [-3, 400, 'outside']] });
    expect(points.bytes).toBe(readFileSync(url(points.url)).byteLength);

    expect(lesson.typings).toContain(`export type ModelName = "shape-net";`);
    expect(lesson.typings).toContain(`export type ImageSetName = "shapes";`);
    expect(lesson.typings).toContain(`export type TableName = "points";`);
  });

  it('writes nothing when the files are already there, and replaces what an earlier build wrote when they change', async () => {
    const root = repo({ 'content/course.yaml': manifest(ASSETS), ...page, ...layersModel(), ...SHAPES, 'content/shapes-lesson/data/points.csv': POINTS });
    const write = () => loadCourse(root, MDX_COMPONENT_NAMES, { writeAssetsTo: path.join(root, 'public') });
    const files = () => readdirSync(path.join(root, 'public/_gen/lessons/shapes-lesson'), { recursive: true, encoding: 'utf8' }).sort();
    await write();
    const before = files();
    await write();
    expect(files()).toEqual(before);
    writeFileSync(path.join(root, 'content/shapes-lesson/data/points.csv'), 'x\n1\n');
    await write();
    expect(files()).toHaveLength(before.length);
    expect(files()).not.toEqual(before);
  });

  it('gives a lesson that declares nothing no assets and names of type never', async () => {
    const { course } = await loadCourse(repo({ 'content/course.yaml': manifest('summary: none'), ...page }), MDX_COMPONENT_NAMES);
    expect(course.lessons[0]!.assets).toEqual({ models: {}, datasets: {} });
    expect(course.lessons[0]!.typings).toContain('export type ModelName = never;');
  });

  describe('fails the build with the file and a plain message', () => {
    const withAssets = (assets: string, files: Record<string, string | Buffer> = {}) => authoringError({ 'content/course.yaml': manifest(assets), ...page, ...files });

    it('when a declared path does not exist', async () => {
      expect(await withAssets('models:\n  net: shapes-lesson/models/net/model.json')).toMatch(/content\/course\.yaml:6:\d+: file "content\/shapes-lesson\/models\/net\/model\.json" does not exist/);
      expect(await withAssets('datasets:\n  shapes: { images: shapes-lesson/nowhere, size: [8, 8], channels: 1 }')).toMatch(/content\/course\.yaml:6:\d+: folder "content\/shapes-lesson\/nowhere" does not exist/);
      expect(await withAssets('datasets:\n  pts: { csv: ../../etc/passwd.csv }')).toMatch(/points outside content\//);
    });

    it('when a data set is declared in no known form, or with a bad size or channel count', async () => {
      expect(await withAssets('datasets:\n  shapes: { folder: x }')).toMatch(/the data set "shapes" needs exactly one of "images", "csv", "imageset" \(found none\)/);
      expect(await withAssets('datasets:\n  shapes: { images: shapes-lesson/data/shapes, size: [0, 8], channels: 1 }', SHAPES)).toMatch(/"size" must be \[height, width\] in pixels/);
      expect(await withAssets('datasets:\n  shapes: { images: shapes-lesson/data/shapes, size: [8, 8], channels: 4 }', SHAPES)).toMatch(/"channels" must be 1 \(grayscale\) or 3 \(RGB\)/);
      expect(await withAssets('models:\n  Shape Net: shapes-lesson/models/shape-net/model.json', layersModel())).toMatch(/"Shape Net" cannot name a model: use lowercase letters, digits and dashes/);
    });

    it('when a name is declared twice', async () => {
      const twice = 'models:\n  shape-net: shapes-lesson/models/shape-net/model.json\n  shape-net: shapes-lesson/models/shape-net/model.json';
      expect(await withAssets(twice, layersModel())).toMatch(/content\/course\.yaml:7:\d+: this key appears twice in the same mapping; each name may be declared once/);
      const both = 'models:\n  shapes: shapes-lesson/models/shape-net/model.json\ndatasets:\n  shapes: { csv: shapes-lesson/data/points.csv }';
      expect(await withAssets(both, { ...layersModel(), 'content/shapes-lesson/data/points.csv': POINTS })).toMatch(/"shapes" is declared as both a model and a data set/);
    });

    it('when model.json is not a LayersModel, or its weight files are missing or the wrong size', async () => {
      const model = 'models:\n  shape-net: shapes-lesson/models/shape-net/model.json';
      const json = 'content/shapes-lesson/models/shape-net/model.json';
      expect(await withAssets(model, { [json]: '{ not json' })).toMatch(new RegExp(`${json}: the model "shape-net" is not valid JSON`));
      expect(await withAssets(model, { [json]: JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }) })).toMatch(/is a TensorFlow\.js graph model; lessons use LayersModels/);
      expect(await withAssets(model, { [json]: JSON.stringify({ modelTopology: { nodes: [] }, weightsManifest: [] }) })).toMatch(/is not a TensorFlow\.js LayersModel/);
      const { [`content/shapes-lesson/models/shape-net/weights.bin`]: _, ...withoutWeights } = layersModel();
      expect(await withAssets(model, withoutWeights)).toMatch(/the weight file "weights\.bin" that model\.json names is missing/);
      expect(await withAssets(model, layersModel(12))).toMatch(/weights\.bin of the model "shape-net" holds 12 bytes, but model\.json describes 16 bytes of weights/);
    });

    it('when an image folder has fewer than two classes, a stray file, or a file that does not decode', async () => {
      const images = 'datasets:\n  shapes: { images: shapes-lesson/data/shapes, size: [8, 8], channels: 3 }';
      const dir = 'content/shapes-lesson/data/shapes';
      expect(await withAssets(images, { [`${dir}/square/a.png`]: png(2, 2, [1, 1, 1, 255]) })).toMatch(new RegExp(`${dir}: the data set "shapes" has one class folder \\("square"\\); an image folder needs at least two`));
      expect(await withAssets(images, { ...SHAPES, [`${dir}/notes.txt`]: 'x' })).toMatch(new RegExp(`${dir}/notes\\.txt: a file directly inside the image folder`));
      expect(await withAssets(images, { ...SHAPES, [`${dir}/circle/broken.png`]: Buffer.concat([png(4, 4, [0, 0, 0, 255]).subarray(0, 40)]) })).toMatch(new RegExp(`${dir}/circle/broken\\.png: does not decode as PNG`));
      expect(await withAssets(images, { ...SHAPES, [`${dir}/circle/photo.jpg`]: 'GIF89a, not a JPEG' })).toMatch(/circle\/photo\.jpg: is neither a PNG nor a JPEG image/);
      expect(await withAssets(images, { ...SHAPES, [`${dir}/circle/readme.md`]: '# notes' })).toMatch(/circle\/readme\.md: not a PNG or JPEG file/);
    });

    it('when a CSV file has ragged rows, a bad header or no rows', async () => {
      const csv = 'datasets:\n  points: { csv: shapes-lesson/data/points.csv }';
      const file = 'content/shapes-lesson/data/points.csv';
      expect(await withAssets(csv, { [file]: 'x,y\n1,2\n3\n4,5\n' })).toMatch(new RegExp(`${file}:3: this row has 1 value, but the header has 2 columns`));
      expect(await withAssets(csv, { [file]: 'x,x\n1,2\n' })).toMatch(/the header names the column "x" twice/);
      expect(await withAssets(csv, { [file]: 'x,y\n' })).toMatch(/has a header but no rows/);
    });

    it('when the assets of one lesson are over the size budget, naming the largest', async () => {
      const big = layersModel(LESSON_ASSET_BUDGET_BYTES + 4);
      const json = JSON.parse(big['content/shapes-lesson/models/shape-net/model.json'] as string) as { weightsManifest: { weights: { shape: number[] }[] }[] };
      json.weightsManifest[0]!.weights[0]!.shape = [(LESSON_ASSET_BUDGET_BYTES + 4) / 4];
      const message = await withAssets('models:\n  shape-net: shapes-lesson/models/shape-net/model.json', { ...big, 'content/shapes-lesson/models/shape-net/model.json': JSON.stringify(json) });
      expect(message).toMatch(/content\/course\.yaml:6:\d+: the assets of the lesson "shapes-lesson" come to 8\.0 MB, over the 8\.0 MB a lesson page may preload; the largest is "shape-net" \(content\/shapes-lesson\/models\/shape-net\/model\.json, 8\.0 MB as built\)/);
    });
  });
});
