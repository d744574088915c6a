import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Table } from '../../../runtime/lessonAssets';
import { AuthoringError } from '../errors';
import type { DatasetDeclaration } from '../manifest';

type CsvDeclaration = Extract<DatasetDeclaration, { kind: 'csv' }>;

/**
 * Reads a CSV data set: a header row naming the columns, then one row per record, comma-separated
 * (quotes as RFC 4180 has them). A column whose every value is a number becomes numbers; any other
 * column stays text. A row with more or fewer values than the header fails the build at its line.
 */
export function readCsv(root: string, set: CsvDeclaration): Table {
  const at = (line: number | undefined, reason: string) => new AuthoringError(set.file, line, undefined, reason);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(readFileSync(path.join(root, set.file)), { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : undefined;
    throw at(line, `the data set "${set.name}" is not valid CSV (${(error as Error).message})`);
  }
  const [header, ...body] = records;
  if (!header) throw at(undefined, `the data set "${set.name}" is empty; a CSV file starts with a header row naming its columns`);
  const columns = header.record;
  const blank = columns.findIndex((c) => c === '');
  if (blank >= 0) throw at(header.info.lines, `column ${blank + 1} of the header has no name`);
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated !== undefined) throw at(header.info.lines, `the header names the column "${repeated}" twice`);
  if (body.length === 0) throw at(undefined, `the data set "${set.name}" has a header but no rows`);
  for (const { record, info } of body) {
    if (record.length !== columns.length) throw at(info.lines, `this row has ${record.length} value${record.length === 1 ? '' : 's'}, but the header has ${columns.length} columns`);
  }
  const numeric = columns.map((_, c) => body.every(({ record }) => isNumber(record[c]!)));
  return { columns, rows: body.map(({ record }) => record.map((value, c) => (numeric[c] ? Number(value) : value))) };
}

function isNumber(text: string): boolean {
  return text !== '' && Number.isFinite(Number(text));
}
