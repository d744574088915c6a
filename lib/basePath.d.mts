/** See lib/basePath.mjs. */
export function basePathFrom(value: string | undefined): string;
