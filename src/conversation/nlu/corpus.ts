import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { packageRoot } from '../../core/package-root.js';
import type { LabelledText } from './intent-model.js';
import type { NluLocale } from './types.js';

export type CsvRead = { ok: true; examples: LabelledText[] } | { ok: false; reason: string };

/** Label columns looked for, in order, when none is named: the shipped corpus says intent, BANKING77 category. */
export const LABEL_COLUMN_GUESSES = ['intent', 'label', 'category'] as const;

/**
 * Reads `text,label` rows from a CSV with a header; names the file and the column in every complaint.
 * Without `labelColumn`, the first of LABEL_COLUMN_GUESSES present is used.
 */
export function readLabelledCsv(file: string, textColumn = 'text', labelColumn?: string): CsvRead {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}` };
  }
  let records: Record<string, string>[];
  try {
    records = parse(content, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false, trim: true });
  } catch (error) {
    return { ok: false, reason: `${file}: not a readable CSV (${(error as Error).message})` };
  }
  if (records.length === 0) return { ok: false, reason: `${file}: no data rows (a header line and at least one row are needed)` };
  const columns = Object.keys(records[0]!);
  if (!columns.includes(textColumn)) return { ok: false, reason: `${file}: no column ${JSON.stringify(textColumn)} (columns: ${columns.join(', ')})` };
  const label = labelColumn ?? LABEL_COLUMN_GUESSES.find((c) => columns.includes(c));
  if (label === undefined) return { ok: false, reason: `${file}: no label column (looked for ${LABEL_COLUMN_GUESSES.join(', ')}; name one with --label-col)` };
  if (!columns.includes(label)) return { ok: false, reason: `${file}: no column ${JSON.stringify(label)} (columns: ${columns.join(', ')})` };
  const examples: LabelledText[] = [];
  for (const [i, record] of records.entries()) {
    const text = record[textColumn] ?? '';
    const value = record[label] ?? '';
    // Line numbers count the header, as an editor shows them (for one-line rows).
    if (!text || !value) return { ok: false, reason: `${file}: row ${i + 2} has an empty ${!text ? textColumn : label}` };
    examples.push({ text, label: value });
  }
  return { ok: true, examples };
}

export function shippedCorpusPath(locale: NluLocale): string {
  return join(packageRoot(), 'data', 'nlu', `${locale}.csv`);
}

/** The training utterances shipped in data/nlu; a broken file there is a packaging bug, so it throws. */
export function readShippedCorpus(locale: NluLocale): LabelledText[] {
  const read = readLabelledCsv(shippedCorpusPath(locale));
  if (!read.ok) throw new Error(`shipped NLU corpus is unusable: ${read.reason}`);
  return read.examples;
}
