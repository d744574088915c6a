import { openBrowser, recorded, runCell, waitRunReady } from '../lib/browser';

/**
 * The lesson's heaviest cells as shipped, on the backend the sandbox picks here and on `?backend=cpu`
 * (what every cell trained on before WebAssembly could train convolutions: cpu with the fast kernels,
 * WebAssembly for lesson.extractFeatures), alternating so that the machine's drift hits both alike.
 */
export const HEAVY_CELLS = ['fine-tuning', 'experiment'];
export const COMPARED_BACKENDS = ['cpu', 'default'] as const;

export interface HeavyCellSample {
  clickToFinished: number;
  sandboxDurationMs: number | null;
  status: string;
}

export interface HeavyCellsResult {
  /** The sandbox's own choice on this machine (the "default" rows). */
  backend: string;
  /** By cell id, then by 'cpu' | 'default'. */
  cells: Record<string, Record<string, HeavyCellSample[]>>;
}

export async function heavyCells(siteUrl: string, pagePath: string, runs: number, log: (line: string) => void): Promise<HeavyCellsResult> {
  const b = await openBrowser();
  const cells: HeavyCellsResult['cells'] = Object.fromEntries(HEAVY_CELLS.map((id) => [id, { cpu: [], default: [] }]));
  let backend = '?';
  try {
    const { page } = b;
    for (let round = 0; round < runs; round++) {
      for (const which of round % 2 === 0 ? COMPARED_BACKENDS : [...COMPARED_BACKENDS].reverse()) {
        await page.goto(`${siteUrl}${pagePath}${which === 'cpu' ? '?backend=cpu' : ''}`);
        await waitRunReady(page);
        const ready = (await recorded(page)).msgs.find((m) => m.type === 'sandbox/ready')?.backend ?? '?';
        if (which === 'default') backend = ready;
        for (const id of HEAVY_CELLS) {
          await page.locator(`[data-cell-id="${id}"]`).scrollIntoViewIfNeeded();
          const run = await runCell(page, id, { timeout: 900_000 });
          const done = (await recorded(page)).msgs.find((m) => m.type === 'run/done' && m.t >= run.clickAt);
          const sample = { clickToFinished: run.endAt - run.clickAt, sandboxDurationMs: done?.durationMs ?? null, status: run.status };
          cells[id]![which]!.push(sample);
          log(`  ${id} on ${which === 'cpu' ? 'cpu (?backend=cpu)' : ready}, round ${round + 1}/${runs}: ${sample.status} after ${(sample.clickToFinished / 1000).toFixed(1)} s`);
        }
      }
    }
    return { backend, cells };
  } finally {
    await b.close();
  }
}
