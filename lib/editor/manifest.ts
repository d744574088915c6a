/**
 * The contract between scripts/build-editor.ts, which writes the prebundled editor into
 * public/_gen/editor/, and loadMonaco(), which reads it. Every name but the manifest's is content-hashed.
 */

/** The one file with a fixed name; the page reads it first to learn every other file's name. */
export const EDITOR_MANIFEST_PATH = '/_gen/editor/manifest.json' as const;

/** File names relative to the manifest. */
export interface EditorManifest {
  monacoVersion: string;
  /** The Monaco API as an ES module, and its stylesheet (which loads the codicon font beside it). */
  editor: { js: string; css: string };
  /** Classic worker scripts: the editor's own worker and the TypeScript language service. */
  workers: { editor: string; typescript: string };
  /** The TypingsBundle (JSON) handed to the TypeScript worker. */
  types: string;
}

/** Declaration files student code can see, keyed by path below file:/// (e.g. node_modules/x/index.d.ts). */
export interface TypingsBundle {
  /** Licenses of the bundled typings, whose per-file headers were removed. */
  notice: string;
  files: Record<string, string>;
}
