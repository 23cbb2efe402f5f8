import { basename } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_ERRORS, type ImportKind, type ImportProgress, type ImportSummary, importCsv, type RowError } from '../ingest/csv-import.js';
import { IMPORT_KINDS } from '../ingest/csv-rows.js';
import { bootApp } from './boot.js';
import { UsageError } from './usage-error.js';
import { failJobOnThrow, startJob } from '../jobs/jobs.js';

const USAGE = 'usage: recoup import <file.csv> --kind customers|receivables|payments [--errors <path>] [--json]';
const BAR_WIDTH = 30;
const TTY_REDRAW_MS = 100;
// Without a terminal (CI logs, pipes) every redraw would be a line of its own: a line now and then is enough.
const LOG_EVERY_MS = 5_000;

interface ImportArgs {
  file: string;
  kind: ImportKind;
  errorsFile: string;
  json: boolean;
}

function parseImportArgs(args: string[]): ImportArgs {
  const { values, positionals } = parseArgs({
    args,
    options: { kind: { type: 'string' }, errors: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`import takes one CSV file, got ${positionals.length}; ${USAGE}`);
  const file = positionals[0]!;
  const kind = values.kind;
  if (!IMPORT_KINDS.includes(kind as ImportKind)) {
    throw new UsageError(`--kind must be one of ${IMPORT_KINDS.join(', ')}${kind === undefined ? '' : `, not ${JSON.stringify(kind)}`}; ${USAGE}`);
  }
  return { file, kind: kind as ImportKind, errorsFile: values.errors ?? `${file}.errors.csv`, json: values.json };
}

function renderProgress(p: ImportProgress, elapsedMs: number): string {
  const fraction = p.totalBytes === 0 ? 1 : Math.min(1, p.bytesRead / p.totalBytes);
  const filled = Math.round(fraction * BAR_WIDTH);
  const rate = elapsedMs > 0 ? Math.round((p.rowsRead * 1000) / elapsedMs) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.rowsRead.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s`;
}

/** A bar redrawn in place on a terminal; on anything else, a plain line every few seconds. */
function createProgressBar(out: NodeJS.WriteStream) {
  const started = performance.now();
  const tty = out.isTTY === true;
  let lastDrawn = tty ? -Infinity : started;
  let drawn = false;
  let latest: ImportProgress | undefined;
  return {
    update(p: ImportProgress): void {
      latest = p;
      const now = performance.now();
      if (now - lastDrawn < (tty ? TTY_REDRAW_MS : LOG_EVERY_MS)) return;
      lastDrawn = now;
      drawn = true;
      out.write(tty ? `\r${renderProgress(p, now - started)}` : `${renderProgress(p, now - started)}\n`);
    },
    finish(): void {
      // The last state is drawn in full so the bar does not stop at 97%; then the line is given back.
      if (tty && drawn && latest) out.write(`\r${renderProgress(latest, performance.now() - started)}\n`);
    },
  };
}

/** A cell that holds a delimiter, a quote or a line break is quoted, its quotes doubled (RFC 4180). */
function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeErrorReport(path: string, errors: RowError[]): Promise<void> {
  const lines = ['row,field,reason', ...errors.map((e) => [e.row, e.field, e.reason].map(csvCell).join(','))];
  await writeFile(path, `${lines.join('\n')}\n`, 'utf8');
}

function summaryLine(s: ImportSummary): string {
  return `imported ${s.rows} rows: ${s.created} created, ${s.updated} updated, ${s.duplicate} duplicate, ${s.rejected} rejected in ${s.seconds.toFixed(1)} s`;
}

/** `recoup import`: exit 0 when every row landed, 1 when some were rejected or the file was refused, 2 on bad usage. */
export async function runImport(args: string[]): Promise<number> {
  const options = parseImportArgs(args);
  const app = await bootApp();
  try {
    const bar = createProgressBar(process.stderr);
    // The console's list of long work shows the import too, from whichever process runs it.
    const job = await startJob(app.db, app.clock, { kind: 'import', label: `${options.kind} from ${basename(options.file)}`, actor: 'cli' });
    const result = await failJobOnThrow(job, () =>
      importCsv(
        { db: app.db, vault: app.vault, stages: app.config.stages, clock: app.clock, actor: 'cli' },
        { file: options.file, kind: options.kind, onProgress: (p) => { bar.update(p); job.progress(p.bytesRead, p.totalBytes); } },
      ),
    );
    bar.finish();
    if (!result.ok) {
      await job.fail(result.error.message);
      if (result.error.type === 'not_found') throw new UsageError(result.error.message);
      process.stderr.write(`recoup: ${result.error.message}\n`);
      return 1;
    }
    const summary = result.value;
    await job.finish({ rows: summary.rows, created: summary.created, updated: summary.updated, duplicate: summary.duplicate, rejected: summary.rejected });
    const errorsFile = summary.rejected > 0 ? options.errorsFile : undefined;
    if (errorsFile) await writeErrorReport(errorsFile, summary.errors);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...summary, ...(errorsFile ? { errorsFile } : {}) })}\n`);
    } else {
      process.stdout.write(`${summaryLine(summary)}\n`);
      if (errorsFile) {
        const cut = summary.errors.length >= DEFAULT_MAX_ERRORS ? ` (the first ${DEFAULT_MAX_ERRORS})` : '';
        process.stdout.write(`${summary.errors.length} ${summary.errors.length === 1 ? 'error' : 'errors'}${cut} written to ${errorsFile}\n`);
      }
    }
    return summary.rejected > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}
