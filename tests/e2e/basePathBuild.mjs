/** The test build under a base path: `npm test` makes it (scripts/test.mjs), the browser tests serve it. */
export const BASE_PATH_BUILD = { base: '/course', dir: 'out-course' };
