import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { type Result, fail, invalid, ok } from '../../core/errors.js';
import type { TableInput } from './dataset.js';

/** The delimiter that splits the header into the most fields: the UCI files use `;` and `,`. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const candidates = [',', ';', '\t'];
  let best = ',';
  let bestCount = -1;
  for (const candidate of candidates) {
    const count = firstLine.split(candidate).length;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

// The original UCI workbook starts with a line of X1..X23, Y above the real names; that line is not a header.
const GENERATED_NAME = /^(|ID|X\d+|Y)$/i;

function isGeneratedHeader(row: string[]): boolean {
  return row.length > 1 && row.every((cell) => GENERATED_NAME.test(cell.trim())) && row.some((cell) => /^X\d+$/i.test(cell.trim()));
}

/** Parses CSV text into a header and rows of strings; quoting follows RFC 4180. */
export function parseCsvTable(text: string): Result<TableInput> {
  let records: string[][];
  try {
    records = parse(text, { delimiter: detectDelimiter(text), skip_empty_lines: true, relax_column_count: false, bom: true }) as string[][];
  } catch (error) {
    return fail(invalid([{ field: '(file)', reason: (error as Error).message }], `not a readable CSV file: ${(error as Error).message}`));
  }
  let start = 0;
  if (records.length > 1 && isGeneratedHeader(records[0]!)) start = 1;
  const header = records[start];
  if (!header) return fail(invalid([{ field: '(file)', reason: 'empty' }], 'the CSV file is empty: expected a header row and data rows'));
  return ok({ header: header.map((h) => h.trim()), rows: records.slice(start + 1) });
}

/** Reads and parses a CSV file; an unreadable path is an expected failure with the path in it. */
export async function readCsvTable(path: string): Promise<Result<TableInput>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return fail(invalid([{ field: 'data', reason }], `cannot read ${path}: ${reason}`));
  }
  return parseCsvTable(text);
}
