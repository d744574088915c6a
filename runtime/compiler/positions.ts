const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * esbuild reports columns in UTF-8 bytes; editors and stack traces count UTF-16 code units.
 * Converts a 0-based byte column within `lineText` to a 0-based UTF-16 column.
 */
export function byteColumnToUtf16(lineText: string, byteColumn: number): number {
  const bytes = encoder.encode(lineText);
  if (byteColumn >= bytes.length) return lineText.length + (byteColumn - bytes.length);
  return decoder.decode(bytes.subarray(0, byteColumn)).length;
}
