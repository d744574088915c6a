import { basePathFrom } from './basePath.mjs';

/** The path the course is served under ('' at a host's root), fixed at build time (see lib/basePath.mjs). */
export const BASE_PATH: string = basePathFrom(process.env.NEXT_PUBLIC_BASE_PATH ?? process.env.BASE_PATH);

/** A root-relative path of the site (e.g. '/_gen/vendor/tf.min.js') as the browser must ask for it. */
export function sitePath(path: `/${string}`): string {
  return BASE_PATH + path;
}
