import * as z from 'zod/mini';
import type { SandboxBootConfig } from './pageSandbox';

const asset = { url: z.string(), bytes: z.number().check(z.nonnegative()) };
const config: z.ZodMiniType<SandboxBootConfig> = z.object({
  base: z.string(),
  lesson: z.object({
    models: z.record(z.string(), z.object(asset)),
    datasets: z.record(z.string(), z.object({ kind: z.enum(['images', 'table']), ...asset })),
  }),
});

/** The boot configuration the page wrote into the boot script's `data-config`, or an error saying what is wrong. */
export function parseBootConfig(attribute: string | null | undefined): SandboxBootConfig | Error {
  if (!attribute) return new Error('the boot script has no data-config attribute');
  let json: unknown;
  try {
    json = JSON.parse(attribute);
  } catch {
    return new Error("the boot script's data-config is not JSON");
  }
  const parsed = config.safeParse(json);
  return parsed.success ? parsed.data : new Error(`the boot script's data-config is not a boot configuration (${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')})`);
}
