/**
 * The path the course is served under: '' at a host's root, '/course' for https://host/course/. Set
 * it with the BASE_PATH environment variable when building (`BASE_PATH=/course npm run build`); the
 * build passes it to the pages as NEXT_PUBLIC_BASE_PATH. Shared by next.config.mjs and lib/site.ts.
 *
 * @param {string | undefined} value
 * @returns {string}
 */
export function basePathFrom(value) {
  if (value === undefined || value === '' || value === '/') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(value)) {
    throw new Error(`BASE_PATH must look like /course or /a/b (a leading slash, no trailing slash, letters, digits, . _ ~ -); got ${JSON.stringify(value)}`);
  }
  return value;
}
