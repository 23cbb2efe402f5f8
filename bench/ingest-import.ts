import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { App } from '../src/app.js';
import { importCsv } from '../src/ingest/csv-import.js';
import { MAX_BATCH_ITEMS } from '../src/ingest/ingest-batch.js';
import { writeReceivablesCsv } from './ingest-data.js';
import { createScratchDatabase, loadCustomers, secondsOf } from './ingest-peers.js';

/** The bulk half of the ingest benchmark: a CSV of `rows` receivables through `importCsv`, timed. */

export interface ImportMeasurement {
  path: string;
  rows: number;
  chunkRows: number;
  seconds: number;
  rowsPerSecond: number;
  csvBytes: number;
  /** The largest resident set seen while the import ran, sampled every 100 ms. */
  peakRssMiB: number;
}

export interface ImportSetup {
  base: string;
  workDir: string;
  rows: number;
  customers: number;
  startApp(databaseUrl: string): Promise<App>;
  log(line: string): void;
}

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Imports into a database of its own, so that the rows the throughput rounds left do not weigh on it. */
export async function importReceivables(setup: ImportSetup): Promise<ImportMeasurement> {
  const scratch = await createScratchDatabase(setup.base);
  try {
    const app = await setup.startApp(scratch.url);
    try {
      await loadCustomers(app, setup.customers);
      const file = join(setup.workDir, 'receivables.csv');
      await writeReceivablesCsv(file, 'imp', setup.rows, setup.customers);
      const { size } = await stat(file);
      setup.log(`ingest: importing ${setup.rows} receivables (${Math.round(size / 2 ** 20)} MiB of CSV) through importCsv`);

      const ctx = { db: app.db, vault: app.vault, stages: app.config.stages, clock: app.clock, actor: 'bench' };
      const rss = sampleRss();
      let summary: unknown;
      const seconds = await secondsOf(async () => {
        const result = await importCsv(ctx, { file, kind: 'receivables', chunkRows: MAX_BATCH_ITEMS });
        if (!result.ok) throw new Error(`import failed: ${result.error.message}`);
        if (result.value.created !== setup.rows) throw new Error(`import created ${result.value.created} of ${setup.rows}: ${JSON.stringify(result.value).slice(0, 500)}`);
        summary = result.value;
      });
      const peak = rss.stop();

      // Trust the table, not only the summary.
      const stored = await sql<{ n: string }>`select count(*)::text as n from receivables`.execute(app.db);
      if (Number(stored.rows[0]?.n) !== setup.rows) throw new Error(`import left ${stored.rows[0]?.n} receivables, expected ${setup.rows}: ${JSON.stringify(summary)}`);
      return {
        path: 'importCsv (src/ingest/csv-import.ts)',
        rows: setup.rows,
        chunkRows: MAX_BATCH_ITEMS,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(setup.rows / seconds),
        csvBytes: size,
        peakRssMiB: Math.round(peak / 2 ** 20),
      };
    } finally {
      await app.close();
    }
  } finally {
    await scratch.drop();
  }
}
