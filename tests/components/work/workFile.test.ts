import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_WORK_FILE_BYTES, WORK_FORMAT, WORK_VERSION, decodeWorkFile, encodeWorkFile, workFileName, type LessonWork } from '@/components/work/workFile';

const LESSON = 'transfer-learning';
const pixels = (seed: number) => Array.from({ length: 784 }, (_, i) => (i * seed) % 256);

const work: LessonWork = {
  lesson: LESSON,
  createdAt: '2026-12-03T09:30:00.000Z',
  cells: [
    { id: 'first-tensor', code: "console.log('héllo 🧠');\n", starterHash: 'a1b2c3', savedAt: 1_764_750_000_000 },
    { id: 'odd-or-even', code: 'export const head = 1;\n', starterHash: 'ffee00', savedAt: 1_764_750_100_000 },
  ],
  progress: [
    { exercise: 'odd-or-even', status: 'passed' },
    { exercise: 'freeze-blocks', status: 'attempted' },
  ],
  drawings: { classes: ['circle', 'cross'], examples: [{ label: 0, pixels: pixels(3) }, { label: 1, pixels: pixels(5) }] },
};

type ManifestJson = Record<string, unknown> & { cells: Record<string, unknown>[]; drawings: { classes: string[]; examples: { label: number; pixels: string }[] } };

function unpack(bytes: Uint8Array): { manifest: ManifestJson; files: Record<string, Uint8Array> } {
  const files = unzipSync(bytes);
  return { manifest: JSON.parse(strFromU8(files['manifest.json']!)) as ManifestJson, files };
}

/** A zip made by hand, as another tool (or a student editing the file) would. */
function zipOf(manifest: unknown, cells: Record<string, string> = {}, level: 0 | 6 = 6): Uint8Array {
  const files: Zippable = { 'manifest.json': strToU8(typeof manifest === 'string' ? manifest : JSON.stringify(manifest)) };
  for (const [id, code] of Object.entries(cells)) files[`cells/${id}/main.ts`] = strToU8(code);
  return zipSync(files, { level });
}

function withManifest(change: (manifest: ManifestJson) => void): Uint8Array {
  const { manifest, files } = unpack(encodeWorkFile(work));
  change(manifest);
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

const refusal = (bytes: Uint8Array, lesson = LESSON) => {
  const decoded = decodeWorkFile(bytes, lesson);
  if (decoded.ok) throw new Error('expected the file to be refused');
  return decoded;
};

describe('the work file', () => {
  it('round-trips every edited cell, the exercises\' progress and the drawings', () => {
    expect(decodeWorkFile(encodeWorkFile(work), LESSON)).toEqual({ ok: true, work });
    const empty: LessonWork = { ...work, cells: [], progress: [], drawings: { classes: [], examples: [] } };
    expect(decodeWorkFile(encodeWorkFile(empty), LESSON)).toEqual({ ok: true, work: empty });
  });

  it('is a zip any tool can open: a readable manifest and each cell\'s main.ts as a plain file', () => {
    const { manifest, files } = unpack(encodeWorkFile(work));
    expect(manifest).toMatchObject({
      format: WORK_FORMAT,
      version: WORK_VERSION,
      lesson: LESSON,
      createdAt: work.createdAt,
      cells: [
        { id: 'first-tensor', starterHash: 'a1b2c3', savedAt: 1_764_750_000_000 },
        { id: 'odd-or-even', starterHash: 'ffee00', savedAt: 1_764_750_100_000 },
      ],
      progress: { 'odd-or-even': 'passed', 'freeze-blocks': 'attempted' },
      drawings: { classes: ['circle', 'cross'] },
    });
    expect(Buffer.from(manifest.drawings.examples[0]!.pixels, 'base64')).toEqual(Buffer.from(pixels(3)));
    expect(strFromU8(files['cells/first-tensor/main.ts']!)).toBe("console.log('héllo 🧠');\n");
    expect(strFromU8(files['README.txt']!)).toMatch(/Restore from a file/);
  });

  it('names the download after the lesson and the day', () => {
    expect(workFileName(LESSON, new Date(2026, 11, 3, 23, 59))).toBe('transfer-learning-work-2026-12-03.zip');
  });

  it('refuses a file from another lesson, saying which lesson it is for', () => {
    const { problem, message } = refusal(encodeWorkFile({ ...work, lesson: 'image-basics' }));
    expect(problem).toBe('other-lesson');
    expect(message).toMatch(/another lesson \("image-basics"\), not for this one \("transfer-learning"\).*Nothing was changed/);
  });

  it('refuses a file of a newer format version and says to reload, whatever else the newer format changed', () => {
    const { problem, message } = refusal(withManifest((m) => Object.assign(m, { version: 2, cells: 'a format this code does not know' })));
    expect(problem).toBe('newer-version');
    expect(message).toMatch(/newer version of the course \(work format 2; this page reads format 1\).*Reload/);
  });

  it('refuses files that are not work files: another zip, a picture, text', () => {
    expect(refusal(zipSync({ 'photo.jpg': new Uint8Array([1, 2, 3]) }))).toMatchObject({ problem: 'not-work', message: expect.stringMatching(/no manifest\.json/) });
    expect(refusal(zipOf({ format: 'something-else', version: 1 }))).toMatchObject({ problem: 'not-work' });
    expect(refusal(zipOf([1, 2, 3]))).toMatchObject({ problem: 'not-work' });
    expect(refusal(strToU8('just some text, not a zip'))).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/cannot be opened as a zip/) });
    expect(refusal(new Uint8Array(0))).toMatchObject({ problem: 'damaged' });
  });

  it('refuses a damaged file: cut off, a changed byte, a broken or inconsistent manifest, a missing cell', () => {
    const bytes = encodeWorkFile(work);
    expect(refusal(bytes.subarray(0, bytes.length - 30))).toMatchObject({ problem: 'damaged' });
    expect(refusal(bytes.subarray(0, Math.floor(bytes.length / 2)))).toMatchObject({ problem: 'damaged' });

    // Stored without compression, a changed byte unzips without complaint: only the checksum tells.
    const stored = zipOf(JSON.parse(strFromU8(unzipSync(bytes)['manifest.json']!)), { 'first-tensor': "console.log('héllo 🧠');\n", 'odd-or-even': 'export const head = 1;\n' }, 0);
    const at = Buffer.from(stored).indexOf('export const head');
    const changed = stored.slice();
    changed[at] = 'E'.charCodeAt(0);
    expect(decodeWorkFile(stored, LESSON).ok).toBe(true);
    expect(refusal(changed)).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/cells\/odd-or-even\/main\.ts does not match its checksum/) });

    expect(refusal(zipOf('{"format": "course-work", '))).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/manifest\.json cannot be read/) });
    const { cells: _cells, ...withoutCells } = unpack(bytes).manifest;
    expect(refusal(zipOf(withoutCells))).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/manifest\.json: cells/) });
    expect(refusal(withManifest((m) => (m.cells[0]!.id = '../../evil')))).toMatchObject({ problem: 'damaged' });
    expect(refusal(withManifest((m) => m.cells.push({ ...m.cells[0]! })))).toMatchObject({ message: expect.stringMatching(/listed twice/) });
    expect(refusal(withManifest((m) => m.cells.push({ id: 'fine-tuning', starterHash: 'x', savedAt: 1 })))).toMatchObject({
      problem: 'damaged',
      message: expect.stringMatching(/cells\/fine-tuning\/main\.ts is missing/),
    });
    expect(refusal(withManifest((m) => (m.drawings.examples[0]!.label = 7)))).toMatchObject({ message: expect.stringMatching(/class that is not listed/) });
    expect(refusal(withManifest((m) => (m.drawings.examples[0]!.pixels = 'AAAA')))).toMatchObject({ message: expect.stringMatching(/drawing 1 is not a 28x28 picture/) });
    expect(refusal(withManifest((m) => (m.createdAt = 'yesterday')))).toMatchObject({ message: expect.stringMatching(/createdAt/) });
    expect(refusal(withManifest((m) => (m.progress = { 'odd-or-even': 'finished' })))).toMatchObject({ message: expect.stringMatching(/progress/) });

    const notText = zipSync({ 'manifest.json': unzipSync(bytes)['manifest.json']!, 'cells/first-tensor/main.ts': new Uint8Array([0xff, 0xfe, 0x00]), 'cells/odd-or-even/main.ts': strToU8('x') });
    expect(refusal(notText)).toMatchObject({ message: expect.stringMatching(/first-tensor\/main\.ts is not text/) });
  });

  it('refuses oversized files before unzipping them, and entries that claim to be huge', () => {
    expect(refusal(new Uint8Array(MAX_WORK_FILE_BYTES + 1))).toMatchObject({ problem: 'too-large' });
    const { manifest } = unpack(encodeWorkFile(work));
    const huge = zipOf(manifest, { 'first-tensor': ' '.repeat(2_000_000), 'odd-or-even': 'x' });
    expect(huge.byteLength).toBeLessThan(100_000);
    expect(refusal(huge)).toMatchObject({ problem: 'damaged', message: expect.stringMatching(/first-tensor\/main\.ts is larger than any saved work can be/) });
  });
});
