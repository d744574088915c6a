import type { TestProject } from 'vitest/node';
import { startStaticServer } from '../../scripts/staticServer.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Serves the production build (out/) on a free localhost port for the browser tests. */
export default async function setup(project: TestProject) {
  const server = await startStaticServer({ dir: 'out', port: 0 });
  project.provide('baseUrl', server.url);
  return () => server.close();
}
