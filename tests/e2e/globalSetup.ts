import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from '../../scripts/staticServer.mjs';
import { BASE_PATH_BUILD } from './basePathBuild.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The build under a base path, served there (e.g. http://127.0.0.1:1234/course), when it was built. */
    basePathUrl: string | null;
  }
}

/** Serves the production build (out/) on a free localhost port for the browser tests, and the base-path build under its path. */
export default async function setup(project: TestProject) {
  const server = await startStaticServer({ dir: 'out', port: 0 });
  project.provide('baseUrl', server.url);
  const underBase = existsSync(`${BASE_PATH_BUILD.dir}/index.html`) ? await startStaticServer({ dir: BASE_PATH_BUILD.dir, port: 0, base: BASE_PATH_BUILD.base }) : null;
  project.provide('basePathUrl', underBase ? underBase.url + BASE_PATH_BUILD.base : null);
  return async () => {
    await server.close();
    await underBase?.close();
  };
}
