import { type FileHandle, open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pipeline, type Readable } from 'node:stream';
import { type CsvError, type Options, parse } from 'csv-parse';
import type { StageConfig } from '../config.js';
import { type DomainError, type FieldError, type Result, fail, invalid, ok } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { ingestBatch, MAX_BATCH_ITEMS } from './ingest-batch.js';
import { type ImportKind, checkHeader, fieldToColumn, ITEM_TYPE_OF, rowToData } from './csv-rows.js';

export type { ImportKind } from './csv-rows.js';

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  totalBytes: number;
}

/**
 * One problem with one row. `row` is the 1-based number of the data record: the header is row 0 and
 * blank lines are not counted, so in a file without blank lines or multi-line cells, row N is line N + 1.
 * `field` is the CSV column at fault, or "(row)" when the row as a whole is.
 */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface ImportSummary {
  kind: ImportKind;
  rows: number;
  created: number;
  updated: number;
  duplicate: number;
  rejected: number;
  /** The first `maxErrors` errors, in row order; `rejected` counts every rejected row. */
  errors: RowError[];
  seconds: number;
}

export interface ImportContext {
  db: Db;
  vault: PiiVault;
  stages: StageConfig;
  clock: Clock;
  actor: string;
}

export interface ImportOptions {
  file: string;
  kind: ImportKind;
  chunkRows?: number;
  onProgress?: (p: ImportProgress) => void;
  maxErrors?: number;
}

export const DEFAULT_CHUNK_ROWS = 5_000;
export const DEFAULT_MAX_ERRORS = 10_000;

/** A parsed record with its data row number, fixed in parse order (see RowError.row). */
interface NumberedRecord {
  row: number;
  cells: string[];
}

/** One row waiting for its chunk: the item to ingest, or the errors found before it got that far. */
type PendingRow = { row: number; data: Record<string, unknown> } | { row: number; errors: FieldError[] };

interface OpenedInput {
  stream: Readable & { bytesRead: number };
  totalBytes: number;
}

async function openInput(file: string): Promise<Result<OpenedInput>> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return fail({ type: 'validation', message: `${file} is not a regular file`, details: [{ field: 'file', reason: 'is not a regular file' }] });
    }
    return ok({ stream: handle.createReadStream({ autoClose: true }), totalBytes: stat.size });
  } catch (error) {
    await handle?.close();
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not readable (permission denied)' : `cannot be read (${(error as Error).message})`;
    return fail({ type: code === 'ENOENT' ? 'not_found' : 'validation', message: `${file} ${reason}`, details: [{ field: 'file', reason }] });
  }
}

/**
 * Streams records off the file, numbered as the parser meets them. A record the parser cannot read
 * (a broken quote) is not thrown, which would drop the rows still buffered before it: it is noted
 * in `skipped` with its number, for the reader to stop at.
 */
function streamRecords(input: Readable, skipped: RowError[]): AsyncIterable<NumberedRecord> {
  let row = -1;
  const options: Options<NumberedRecord, string[]> = {
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_record: (cells: string[]) => ({ row: ++row, cells }),
    on_skip: (error: CsvError | undefined) => {
      row += 1;
      skipped.push({ row, field: '(row)', reason: `is not valid CSV (${error?.message ?? 'unknown error'})` });
      return undefined;
    },
  };
  // The typings tie on_record's result to the plain record type; NumberedRecord is what it yields here.
  const parser = parse(options as unknown as Options);
  // pipeline, not pipe: a read error must end the iteration, and leaving the loop early must close the file.
  return pipeline(input, parser, () => undefined) as AsyncIterable<NumberedRecord>;
}

function describeRejection(error: DomainError): FieldError[] {
  // A validation detail says what is wrong with its field; for the other kinds the message says more.
  if (error.details.length === 0) return [{ field: '(row)', reason: error.message }];
  return error.details.map((d) => ({ field: fieldToColumn(d.field), reason: error.type === 'validation' ? d.reason : error.message }));
}

/** Accumulates rows into chunks, ingests each chunk in one transaction, and keeps the tally. */
class ChunkedImport {
  readonly summary: ImportSummary;
  #pending: PendingRow[] = [];

  constructor(
    private readonly ctx: ImportContext,
    kind: ImportKind,
    private readonly maxErrors: number,
  ) {
    this.summary = { kind, rows: 0, created: 0, updated: 0, duplicate: 0, rejected: 0, errors: [], seconds: 0 };
  }

  get size(): number {
    return this.#pending.length;
  }

  add(pending: PendingRow): void {
    this.summary.rows += 1;
    this.#pending.push(pending);
  }

  async flush(): Promise<void> {
    const rows = this.#pending;
    this.#pending = [];
    const items = rows.flatMap((r) => ('data' in r ? [{ type: ITEM_TYPE_OF[this.summary.kind], data: r.data }] : []));
    const results = items.length === 0 ? [] : (await ingestBatch({ ...this.ctx, now: this.ctx.clock.now(), source: 'csv' }, items)).results;
    let next = 0;
    for (const row of rows) {
      if ('errors' in row) {
        this.#reject(row.row, row.errors);
        continue;
      }
      const result = results[next++]!;
      if (result.status === 'rejected') this.#reject(row.row, describeRejection(result.error));
      else this.summary[result.status] += 1;
    }
  }

  #reject(row: number, errors: FieldError[]): void {
    this.summary.rejected += 1;
    for (const error of errors) {
      if (this.summary.errors.length >= this.maxErrors) return;
      this.summary.errors.push({ row, field: error.field, reason: error.reason });
    }
  }
}

function checkOptions(options: ImportOptions): Result<{ chunkRows: number; maxErrors: number }> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const details: FieldError[] = [];
  if (!Number.isInteger(chunkRows) || chunkRows < 1 || chunkRows > MAX_BATCH_ITEMS) details.push({ field: 'chunkRows', reason: `must be an integer from 1 to ${MAX_BATCH_ITEMS}` });
  if (!Number.isInteger(maxErrors) || maxErrors < 0) details.push({ field: 'maxErrors', reason: 'must be a non-negative integer' });
  return details.length > 0 ? fail(invalid(details)) : ok({ chunkRows, maxErrors });
}

/** The first row the parser could not read: after it, it cannot tell where rows begin, so reading stops. */
function stopAt(job: ChunkedImport, broken: RowError, file: string, header: boolean): Result<void> {
  const reason = `${broken.reason}; the rest of the file was not read`;
  if (header) return fail(invalid([{ field: '(header)', reason }], `${file}: the header ${broken.reason}; nothing was imported`));
  job.add({ row: broken.row, errors: [{ field: broken.field, reason }] });
  return ok(undefined);
}

/** Feeds every data row to the job, flushing full chunks; fails on a bad header before any row is added. */
async function readRows(job: ChunkedImport, stream: Readable, options: ImportOptions, chunkRows: number, progress: () => void): Promise<Result<void>> {
  const skipped: RowError[] = [];
  let columns: string[] | undefined;
  for await (const record of streamRecords(stream, skipped)) {
    // The parser runs ahead of this loop: a skip is due once the loop reaches the rows after it.
    if (skipped[0] !== undefined && skipped[0].row < record.row) return stopAt(job, skipped[0], options.file, columns === undefined);
    if (columns === undefined) {
      const header = checkHeader(options.kind, record.cells, options.file);
      if (!header.ok) return header;
      columns = header.value;
      continue;
    }
    const data = rowToData(options.kind, columns, record.cells);
    job.add(data.ok ? { row: record.row, data: data.value } : { row: record.row, errors: data.error.details });
    if (job.size >= chunkRows) {
      await job.flush();
      progress();
    }
  }
  if (skipped[0] !== undefined) return stopAt(job, skipped[0], options.file, columns === undefined);
  if (columns === undefined) {
    return fail(invalid([{ field: '(header)', reason: 'is missing' }], `${options.file} is empty: expected a header row naming the ${options.kind} columns`));
  }
  return ok(undefined);
}

/**
 * Loads a CSV file of one kind through the same ingest path as the API, in chunks of `chunkRows`
 * rows, each chunk in its own transaction. The header is checked before anything is written; after
 * that, bad rows are reported and the good ones land. Should the import stop half way (a database
 * failure), the chunks already written stay: upserts and idempotent payments make a re-run safe.
 */
export async function importCsv(ctx: ImportContext, options: ImportOptions): Promise<Result<ImportSummary>> {
  const started = performance.now();
  const settings = checkOptions(options);
  if (!settings.ok) return settings;
  const opened = await openInput(options.file);
  if (!opened.ok) return opened;
  const { stream, totalBytes } = opened.value;
  const job = new ChunkedImport(ctx, options.kind, settings.value.maxErrors);
  // Bytes read off the disk run ahead of the rows parsed by at most one read buffer: close enough for a bar.
  const progress = () => options.onProgress?.({ rowsRead: job.summary.rows, bytesRead: Math.min(stream.bytesRead, totalBytes), totalBytes });
  try {
    const read = await readRows(job, stream, options, settings.value.chunkRows, progress);
    if (!read.ok) return read;
  } finally {
    stream.destroy();
  }
  await job.flush();
  progress();
  job.summary.seconds = Math.round(performance.now() - started) / 1000;
  return ok(job.summary);
}
