import { on } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { pino } from 'pino';
import { type App, createApp } from '../src/app.js';
import { ensureAdminKey, generateApiKey } from '../src/auth/api-keys.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { buildServer } from '../src/http/server.js';
import type { ClientJob } from './ingest-client.js';
import { BENCH_CLOCK_START, receivableSpecs } from './ingest-data.js';
import { packageRoot } from '../src/core/package-root.js';
import { describeMachine } from './machine.js';
import { createScratchDatabase, insertRaw, loadCustomers, loadOwners, median, rawColumns, runPool, secondsOf } from './ingest-peers.js';
import { importReceivables, type ImportMeasurement } from './ingest-import.js';

/**
 * The ingest benchmark: `POST /v1/events:batch` over real HTTP against a plain multi-row insert of the
 * same rows into the same database (the peer that says what PostgreSQL itself can do), interleaved
 * round by round so that a noisy machine hurts both alike; then a bulk import of `rows` receivables.
 */

export const API_TO_RAW_TARGET = 0.5;
// The target: a million receivables in under two minutes; smaller runs get a pro-rata budget.
const IMPORT_SECONDS_PER_MILLION = 120;
const BATCH_SIZE = 10_000;

export interface IngestBenchOptions {
  rows?: number;
  rounds?: number;
  concurrency?: number;
  databaseUrl?: string;
}

export interface BenchOutcome {
  name: string;
  resultFile: string;
  failures: string[];
}

interface Params {
  rows: number;
  batchSize: number;
  roundRows: number;
  rounds: number;
  concurrency: number;
  customers: number;
}

interface Round {
  round: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

function resolveParams(options: IngestBenchOptions): Params {
  const rows = options.rows ?? 1_000_000;
  return {
    rows,
    batchSize: BATCH_SIZE,
    // A tenth of the import per round, whole batches, so a quick run stays quick.
    roundRows: clamp(Math.round(rows / 10 / BATCH_SIZE), 1, 10) * BATCH_SIZE,
    // Five: the first API round opens most cases and is slower than the rest; a median of five
    // leaves it and one noisy round out.
    rounds: options.rounds ?? 5,
    concurrency: options.concurrency ?? 2,
    // About twenty receivables per debtor, as in a consumer-finance book.
    customers: clamp(Math.round(rows / 20), 1_000, 50_000),
  };
}

/** A real app on its own database, on a virtual clock so that every run sees the same stages. */
export async function startBenchApp(databaseUrl: string): Promise<App> {
  const config = loadConfig(
    { databaseUrl, dataDir: 'memory://', secretKey: generateSecret(), logLevel: 'error', clock: { mode: 'virtual', start: BENCH_CLOCK_START } },
    {},
  );
  return createApp(config, { logger: pino({ level: 'error' }) });
}

function toRound(round: number, rows: number, seconds: number): Round {
  return { round, rows, seconds: Number(seconds.toFixed(3)), rowsPerSecond: Math.round(rows / seconds) };
}

function batchStarts(params: Params): number[] {
  return Array.from({ length: Math.ceil(params.roundRows / params.batchSize) }, (_, i) => i * params.batchSize);
}

async function apiRound(params: Params, round: number, baseUrl: string, apiKey: string): Promise<Round> {
  const job: ClientJob = {
    baseUrl,
    apiKey,
    prefix: `api${round}`,
    batches: batchStarts(params).map((from) => ({ from, count: Math.min(params.batchSize, params.roundRows - from) })),
    customers: params.customers,
    concurrency: params.concurrency,
  };
  const client = new Worker(new URL('./ingest-client.js', import.meta.url), { workerData: job });
  try {
    const replies = on(client, 'message');
    const next = async () => ((await replies.next()).value as [{ ready?: true; done?: true; error?: string }])[0];
    if (!(await next()).ready) throw new Error('ingest client did not start');
    const seconds = await secondsOf(async () => {
      client.postMessage('go');
      const reply = await next();
      if (reply.error) throw new Error(reply.error);
    });
    return toRound(round, params.roundRows, seconds);
  } finally {
    await client.terminate();
  }
}

async function rawRound(params: Params, round: number, pool: pg.Pool, app: App, owners: Awaited<ReturnType<typeof loadOwners>>): Promise<Round> {
  const batches = batchStarts(params).map((from) => rawColumns(receivableSpecs(`raw${round}`, from, Math.min(params.batchSize, params.roundRows - from), params.customers), owners));
  const now = app.clock.now();
  const seconds = await secondsOf(() => runPool(batches, params.concurrency, (columns) => insertRaw(pool, columns, now)));
  return toRound(round, params.roundRows, seconds);
}

async function measureThroughput(params: Params, base: string, log: (line: string) => void): Promise<{ api: Round[]; raw: Round[] }> {
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const scratch = await createScratchDatabase(base);
    cleanup.push(() => scratch.drop());
    const app = await startBenchApp(scratch.url);
    cleanup.push(() => app.close());
    const apiKey = generateApiKey();
    await ensureAdminKey(app.db, app.clock, apiKey);
    const server = await buildServer(app);
    const baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => server.close());
    await loadCustomers(app, params.customers);

    const pool = new pg.Pool({ connectionString: scratch.url, max: params.concurrency });
    cleanup.push(() => pool.end());
    // Connect every client now, so that no measured batch pays for a connection.
    const clients = await Promise.all(Array.from({ length: params.concurrency }, () => pool.connect()));
    const owners = await loadOwners(clients[0]!);
    for (const client of clients) client.release();

    const api: Round[] = [];
    const raw: Round[] = [];
    for (let round = 1; round <= params.rounds; round += 1) {
      // Alternate who goes first: the table grows as the run goes on, and neither should always get it smaller.
      const order = round % 2 === 1 ? (['api', 'raw'] as const) : (['raw', 'api'] as const);
      for (const peer of order) {
        const result = peer === 'api' ? await apiRound(params, round, baseUrl, apiKey) : await rawRound(params, round, pool, app, owners);
        (peer === 'api' ? api : raw).push(result);
        log(`ingest: round ${round} ${peer.padEnd(3)} ${result.rows} rows in ${result.seconds.toFixed(2)} s = ${result.rowsPerSecond} rows/s`);
      }
    }
    return { api, raw };
  } finally {
    for (const step of cleanup.reverse()) await step();
  }
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

export async function run(options: IngestBenchOptions = {}, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<BenchOutcome> {
  const params = resolveParams({ ...options });
  const base = options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const machine = await describeMachine(base);
  log(`ingest: ${params.rounds} rounds of ${params.roundRows} rows per peer, batches of ${params.batchSize}, ${params.concurrency} in flight, ${params.customers} customers`);

  const { api, raw } = await measureThroughput(params, base, log);
  const apiMedian = median(api.map((r) => r.rowsPerSecond));
  const rawMedian = median(raw.map((r) => r.rowsPerSecond));
  // The ratio is taken round by round, each API round against the raw round run next to it, and
  // then the median: the machine's speed drifts over a run, and the pairing is what cancels it.
  const roundRatios = api.map((r, i) => r.rowsPerSecond / raw[i]!.rowsPerSecond);
  const ratio = median(roundRatios);

  const workDir = await mkdtemp(join(tmpdir(), 'recoup-bench-'));
  let imported: ImportMeasurement;
  try {
    imported = await importReceivables({ base, workDir, rows: params.rows, customers: params.customers, startApp: startBenchApp, log });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const importBudget = (IMPORT_SECONDS_PER_MILLION * params.rows) / 1_000_000;

  const targets = [
    { name: 'api throughput is at least half the raw insert rate', target: `ratio >= ${API_TO_RAW_TARGET}`, actual: Number(ratio.toFixed(3)), pass: ratio >= API_TO_RAW_TARGET },
    { name: `${params.rows} receivables imported in under ${importBudget} s`, target: `seconds < ${importBudget}`, actual: imported.seconds, pass: imported.seconds < importBudget },
  ];
  const report = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    machine,
    parameters: { ...params, clockStart: BENCH_CLOCK_START, note: 'api and raw insert the same columns and values for the same customers, each on fresh externalIds' },
    api: { what: 'POST /v1/events:batch over HTTP, receivable items, from a client on its own thread', rounds: api, medianRowsPerSecond: apiMedian },
    raw: { what: 'one INSERT … SELECT FROM unnest(…) per batch through a plain pg client', rounds: raw, medianRowsPerSecond: rawMedian },
    ratio: {
      apiToRaw: Number(ratio.toFixed(3)),
      how: 'median over rounds of api rows/s divided by the raw rows/s of the same round',
      byRound: roundRatios.map((r) => Number(r.toFixed(3))),
      ofMedians: Number((apiMedian / rawMedian).toFixed(3)),
      target: API_TO_RAW_TARGET,
      pass: ratio >= API_TO_RAW_TARGET,
    },
    import: { ...imported, targetSeconds: importBudget, pass: imported.seconds < importBudget },
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    targets,
  };

  const resultFile = join(packageRoot(), 'bench', 'results', 'ingest.json');
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(report, null, 2)}\n`);

  log(`ingest: api median ${apiMedian} rows/s, raw median ${rawMedian} rows/s, api/raw by round ${roundRatios.map((r) => r.toFixed(2)).join(' ')}, median ${ratio.toFixed(3)} (target >= ${API_TO_RAW_TARGET})`);
  log(`ingest: ${imported.rows} receivables via ${imported.path} in ${imported.seconds.toFixed(1)} s = ${imported.rowsPerSecond} rows/s (target < ${importBudget} s); peak RSS ${report.peakRssMiB} MiB (import phase ${imported.peakRssMiB} MiB)`);
  log(`ingest: wrote ${resultFile}`);
  return { name: 'ingest', resultFile, failures: targets.filter((t) => !t.pass).map((t) => `${t.name}: ${t.actual} (${t.target})`) };
}
