import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MDX_COMPONENT_NAMES } from '@/lib/lessons/componentNames';
import { loadCourse } from '@/lib/lessons/course';
import { brokenClaims, MEASURED_FILE, readMeasured, type MeasuredFile } from '@/lib/lessons/measured';
import { launchBrowser, watchForeignRequests, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { output, READY_TIMEOUT_MS, waitForEnd } from './cells';

/*
 * Every lesson is tested code. Like a student working through the course in order, in one browser,
 * this runs every cell of every page as the lesson ships it and expects it to finish; for each
 * exercise it expects the starter to fail its check and the solution (revealed with "Show solution")
 * to pass it. Figures the prose quotes (<Measured>) must match what the runs print, within each
 * figure's tolerance. UPDATE_MEASURED=1 writes the measured values back to measured.json instead.
 */

const baseUrl = inject('baseUrl');
const root = process.cwd();
const { course, compiled } = await loadCourse(root, MDX_COMPONENT_NAMES);
const UPDATE = process.env.UPDATE_MEASURED === '1';
/** The slowest cell (the scratch-versus-transfer experiment) takes about a minute here. */
const CELL_TIMEOUT_MS = 300_000;

let launched: LaunchedBrowser;
const problems: string[] = [];
let foreign: string[] = [];
/** Each cell's OUTPUT pane after its run, by lesson and cell id. */
const outputs = new Map<string, string>();
/** The backends the pages ran on ("Ready · wasm"), for the record in measured.json. */
const backends = new Set<string>();

/** A few drawings for the drawing pad (28x28, light strokes on black), stored the way the pad stores them. */
function drawings(): string {
  const pixels = (inside: (x: number, y: number) => boolean) => {
    let binary = '';
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) binary += String.fromCharCode(inside(x, y) ? 255 : 0);
    return Buffer.from(binary, 'latin1').toString('base64');
  };
  const ring = (r: number) => pixels((x, y) => Math.abs(Math.hypot(x - 14, y - 14) - r) < 1.6);
  const cross = (w: number) => pixels((x, y) => (Math.abs(x - y) < w || Math.abs(x + y - 27) < w) && x > 5 && x < 23);
  const examples = [6, 7, 8, 9].map((r) => ({ label: 0, pixels: ring(r) })).concat([1.2, 1.6, 2, 2.4].map((w) => ({ label: 1, pixels: cross(w) })));
  return JSON.stringify({ classes: ['circle', 'cross'], examples });
}

beforeAll(async () => {
  launched = await launchBrowser();
  launched.context.on('page', (page) => watchPageErrors(page, problems));
  foreign = watchForeignRequests(launched.context, baseUrl);
  const page = await launched.context.newPage();
  await page.goto(baseUrl + '/');
  for (const lesson of course.lessons) {
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [`course:v1:drawings:${lesson.slug}`, drawings()] as const);
  }
  await page.close();
});
afterAll(async () => {
  await launched?.close();
});

/** Downloads a saved model's two files as a student would and loads them with TensorFlow.js in Node. */
async function expectLoadableDownload(page: Page, saved: Locator): Promise<void> {
  const files: Record<string, Buffer> = {};
  for (const link of await saved.getByRole('link').all()) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    files[download.suggestedFilename()] = Buffer.concat(chunks);
  }
  const jsonName = Object.keys(files).find((name) => name.endsWith('.json'));
  expect(jsonName, `downloads: ${Object.keys(files).join(', ')}`).toBeDefined();
  const json = JSON.parse(files[jsonName!]!.toString('utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  // model.json names the weights file it needs, as tf.loadLayersModel would fetch it.
  const weightsFile = files[path.basename(json.weightsManifest[0]!.paths[0]!)];
  expect(weightsFile, `model.json points at ${json.weightsManifest[0]!.paths[0]}`).toBeDefined();
  const weights = weightsFile!.buffer.slice(weightsFile!.byteOffset, weightsFile!.byteOffset + weightsFile!.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: weights }));
  const output = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
  expect(output.shape).toEqual([1, model.outputs[0]!.shape[1]]);
  expect(output.shape[1]).toBeGreaterThanOrEqual(2); // a classifier: one probability per class
  expect(output.sum().dataSync()[0]).toBeCloseTo(1, 4); // softmax probabilities
}

async function runToEnd(page: Page, cell: Locator, where: string): Promise<string> {
  await cell.scrollIntoViewIfNeeded();
  await cell.getByRole('button', { name: /^(Run Code|Run again)$/ }).click();
  const status = await waitForEnd(cell, CELL_TIMEOUT_MS);
  const text = await output(cell);
  expect(status, `${where} ended "${status}":\n${text}`).toBe('finished');
  return text;
}

for (const lesson of course.lessons) {
  describe(`lesson "${lesson.title}"`, () => {
    for (const coursePage of lesson.pages) {
      const cells = compiled.get(coursePage.file)!.cells;
      describe(`page ${coursePage.pageInLesson}: ${coursePage.title}`, () => {
        let page: Page;
        beforeAll(async () => {
          page = await launched.context.newPage();
          await page.goto(baseUrl + coursePage.href);
          const ready = page.getByText(/^Ready · /).first();
          await ready.waitFor({ timeout: READY_TIMEOUT_MS });
          backends.add((await ready.innerText()).replace(/^Ready · /, ''));
        });
        afterAll(async () => {
          await page?.close();
        });

        for (const { id, kind } of cells) {
          const where = `${coursePage.file} cell "${id}"`;
          if (kind === 'code') {
            it(`runs the cell "${id}" as shipped`, { timeout: CELL_TIMEOUT_MS + 30_000 }, async () => {
              const cell = page.locator(`[data-cell-id="${id}"]`);
              outputs.set(`${lesson.slug}/${id}`, await runToEnd(page, cell, where));
              for (const saved of await cell.getByRole('group', { name: /^Saved model / }).all()) await expectLoadableDownload(page, saved);
            });
          } else {
            it(`fails the starter of the exercise "${id}" with specific feedback, and passes its solution`, { timeout: 2 * CELL_TIMEOUT_MS + 30_000 }, async () => {
              const cell = page.locator(`[data-cell-id="${id}"]`);
              const verdict = cell.getByRole('status').filter({ hasText: /^(✓ Passed|Not yet)/ });
              await runToEnd(page, cell, `${where} (starter)`);
              expect(await verdict.innerText()).toMatch(/^Not yet\. The check found:\n.{20,}/);
              const badge = page.getByRole('navigation', { name: 'Lesson outline' }).locator(`a[href$="#exercise-${id}"]`).locator('xpath=..');
              expect(await badge.getByText('attempted').count()).toBe(1);

              await cell.getByRole('button', { name: 'Show solution' }).click();
              await cell.getByRole('alertdialog', { name: 'Show the solution' }).getByRole('button', { name: 'Show solution' }).click();
              await runToEnd(page, cell, `${where} (solution)`);
              expect(await verdict.innerText()).toBe('✓ Passed: the check found nothing to fix.');
              expect(await badge.getByText('passed').count()).toBe(1);
            });
          }
        }
      });
    }

    it('prints the figures its prose quotes', () => {
      const dir = path.join(root, path.dirname(lesson.pages[0]!.file));
      const measured = readMeasured(dir);
      if (!measured) {
        // Only a lesson whose prose quotes no figures may go without the file (the build checks the rest).
        for (const p of lesson.pages) expect(compiled.get(p.file)!.code).not.toContain('Measured');
        return;
      }
      const found: Record<string, number> = {};
      const missing: string[] = [];
      for (const [name, figure] of Object.entries(measured.figures)) {
        const text = outputs.get(`${lesson.slug}/${figure.cell}`) ?? '';
        const match = new RegExp(figure.pattern, 'm').exec(text);
        const value = match?.[1] === undefined ? NaN : Number(match[1]);
        // A capture that is not a plain number ("35,000") would compare as NaN, which no tolerance catches.
        if (!Number.isFinite(value)) missing.push(`${name}: /${figure.pattern}/ captured no number in the output of "${figure.cell}" (${match?.[1] ?? 'no match'})`);
        else found[name] = value;
      }
      expect(missing).toEqual([]);
      // What the prose says about the figures must hold for this run, even when it rewrites the values.
      expect(brokenClaims(measured.claims ?? [], found)).toEqual([]);
      if (UPDATE) {
        const next: MeasuredFile = {
          measuredOn: `${new Date().toISOString().slice(0, 10)}, by tests/e2e/lessons.test.ts (UPDATE_MEASURED=1) in headless Chromium, TensorFlow.js ${[...backends].join(' and ')} backend, on ${os.cpus().length} cores of ${os.cpus()[0]?.model ?? process.arch}`,
          figures: Object.fromEntries(Object.entries(measured.figures).map(([name, f]) => [name, { ...f, value: found[name]! }])),
          ...(measured.claims ? { claims: measured.claims } : {}),
        };
        writeFileSync(path.join(dir, MEASURED_FILE), JSON.stringify(next, null, 2) + '\n');
        return;
      }
      const off = Object.entries(measured.figures)
        .filter(([name, f]) => Math.abs(found[name]! - f.value) > f.tolerance)
        .map(([name, f]) => `${name}: the lesson says ${f.value}, the run printed ${found[name]} (tolerance ${f.tolerance})`);
      expect(off).toEqual([]);
    });
  });
}

describe('the whole course run', () => {
  it('raised no errors in the page and sent nothing beyond this site', () => {
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

