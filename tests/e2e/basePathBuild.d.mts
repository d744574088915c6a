/** See basePathBuild.mjs. */
export const BASE_PATH_BUILD: { base: string; dir: string };
