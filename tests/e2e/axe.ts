import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A violation as a readable line: rule, impact, and where (the first few elements, with axe's reason). */
export interface Violation {
  rule: string;
  impact: ImpactValue | null | undefined;
  where: string[];
}

/** Runs axe-core on the page as it is now (the script is injected into the page, as a browser extension would). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      where: v.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${[...node.any, ...node.all, ...node.none][0]?.message ?? ''}`),
    }));
  });
  return results;
}

/** The serious and critical violations, which the browser tests fail on (moderate and minor ones are not). */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
