/** A mistake in a lesson file or the course manifest, located so an author can jump to it. */
export class AuthoringError extends Error {
  override readonly name = 'AuthoringError';

  constructor(
    /** Path relative to the repository root, e.g. `content/course.yaml`. */
    readonly file: string,
    /** 1-based line, or undefined when the mistake is about the whole file. */
    readonly line: number | undefined,
    /** 1-based column. */
    readonly column: number | undefined,
    readonly reason: string,
  ) {
    super(formatLocation(file, line, column) + ': ' + reason);
  }
}

export function formatLocation(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/** Several authoring mistakes found in one pass, reported together. */
export class AuthoringErrors extends Error {
  override readonly name = 'AuthoringErrors';

  constructor(readonly errors: readonly AuthoringError[]) {
    super(
      `${errors.length} lesson authoring error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((e) => '  ' + e.message).join('\n'),
    );
  }
}
