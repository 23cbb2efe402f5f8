import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { type App, createApp } from '../src/app.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { unsubscribeUrlFor } from '../src/conversation/unsubscribe.js';
import { createLiveDecisioning, DEFAULT_DECISIONING } from '../src/decisioning/live/live-decisioning.js';
import { createDeliveryWork } from '../src/delivery/delivery-work.js';
import { planContacts } from '../src/delivery/planner.js';
import { plannerThreads } from '../src/delivery/planning-threads.js';
import { createWebhookProvider } from '../src/delivery/providers/webhook-provider.js';
import { loadPolicyFile } from '../src/strategy/load-policy-file.js';
import { packageRoot } from '../src/core/package-root.js';
import { createScratchDatabase, loadDueAttempts, loadOpenCases } from './dispatch-data.js';
import { describeMachine } from './machine.js';
import { startGatewayPeer } from './dispatch-peer.js';
import pg from 'pg';

/**
 * The dispatch benchmark: `planContacts` with the shipped policy over N open cases on PostgreSQL
 * (decisions per second, total seconds, peak RSS), then sends per second through the webhook provider
 * to a local gateway. Run: `recoup bench --only dispatch [--rows N]`.
 */

// The targets, for a million cases; smaller runs get a pro-rata time budget.
const PLAN_SECONDS_PER_MILLION = 60;
const RSS_LIMIT_MIB = 1024;
// A Monday, 02:00 UTC: 10:00 in Shanghai (inside hours), 21:00 the evening before in New York (outside),
// so the run sees both allowed and delayed contacts.
const CLOCK_START = '2026-03-02T02:00:00.000Z';
const SEND_SECRET = 'bench-dispatch-webhook-secret-0123';

export interface DispatchBenchOptions {
  rows?: number;
  sends?: number;
  databaseUrl?: string;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Samples RSS every 50 ms while `work` runs: the peak is what the target is about, not the end state. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRssMiB: number; seconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakRssMiB: mib(peak), seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

async function startApp(databaseUrl: string): Promise<App> {
  const config = loadConfig({ databaseUrl, dataDir: 'memory://', secretKey: generateSecret(), logLevel: 'error', clock: { mode: 'virtual', start: CLOCK_START } }, {});
  return createApp(config, { logger: pino({ level: 'error' }) });
}

async function measurePlanning(app: App, log: (line: string) => void) {
  const policy = loadPolicyFile();
  global.gc?.();
  // The same planner dependencies the app wires up, the learning policy in its default mode, so the
  // figure is what a deployment pays per planning run.
  const decisioning = createLiveDecisioning(DEFAULT_DECISIONING);
  const deps = { db: app.db, policy: () => policy, decisioning, threads: plannerThreads(app.config) };
  const run = await withPeakRss(() => planContacts(deps, app.clock.now()));
  const { cases, scheduled, blocked } = run.value;
  log(`dispatch: planned ${cases} cases in ${run.seconds.toFixed(1)} s = ${Math.round(cases / run.seconds)} decisions/s (${scheduled} scheduled, ${blocked} blocked); peak RSS ${run.peakRssMiB} MiB`);
  return { policy: `${policy.id} v${policy.version}`, decisioning: decisioning.mode, threads: deps.threads?.count ?? 1, cases, scheduled, blocked, seconds: round(run.seconds), decisionsPerSecond: Math.round(cases / run.seconds), peakRssMiB: run.peakRssMiB };
}

/**
 * The peer: PostgreSQL alone writing the planner's output again, the same rows into a table with the
 * same indexes in one `insert … select`, with no reads and no application work. Planning can never
 * be faster than this on the machine it runs on, so the ratio says how much of the time is ours.
 */
async function measureWriteFloor(url: string, log: (line: string) => void) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create table attempts_floor (like contact_attempts including all)');
    const started = performance.now();
    const result = await client.query('insert into attempts_floor select * from contact_attempts');
    const seconds = (performance.now() - started) / 1000;
    await client.query('drop table attempts_floor');
    log(`dispatch: peer: PostgreSQL rewrote the ${result.rowCount} attempts with their indexes in ${seconds.toFixed(1)} s`);
    return { what: 'insert into a copy of contact_attempts (same indexes) select * from the planned attempts', rows: result.rowCount ?? 0, seconds: round(seconds) };
  } finally {
    await client.end();
  }
}

async function measureSends(app: App, url: string, sends: number, log: (line: string) => void) {
  await loadDueAttempts(url, sends, app.clock.now());
  const peer = await startGatewayPeer(SEND_SECRET);
  try {
    const provider = createWebhookProvider({ url: peer.url, secret: SEND_SECRET });
    const { batchSize, concurrency } = app.config.delivery;
    // Worded at send time as in the app: the template, the signed pay link and unsubscribe link.
    const links = { payLinkUrl: app.payLinks.urlFor, unsubscribeUrl: unsubscribeUrlFor(app.config.publicUrl!, app.links) };
    const work = createDeliveryWork({ db: app.db, clock: app.clock, vault: app.vault, providerFor: () => provider, logger: { warn: () => undefined }, owner: 'bench', batchSize, concurrency, ...links });
    const run = await withPeakRss(() => work.runDue(app.clock.now()));
    const counts = await app.db.selectFrom('contact_attempts').select(({ fn }) => ['status', fn.countAll<string>().as('n')]).groupBy('status').execute();
    const sent = Number(counts.find((c) => c.status === 'sent')?.n ?? 0);
    log(`dispatch: sent ${sent} of ${sends} through the webhook provider in ${run.seconds.toFixed(1)} s = ${Math.round(sent / run.seconds)} sends/s (batch ${batchSize}, ${concurrency} in flight)`);
    return {
      what: 'createDeliveryWork().runDue against a local HTTP gateway in the same process (signature and key checked), planned SMS reminders due now, worded from their drafts at send time',
      attempts: sends, sent, gatewayRequests: peer.received, distinctKeys: peer.distinctKeys.size, badSignatures: peer.badSignatures,
      batchSize, concurrency, seconds: round(run.seconds), sendsPerSecond: Math.round(sent / run.seconds), peakRssMiB: run.peakRssMiB,
      statuses: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
    };
  } finally {
    await peer.close();
  }
}

export async function run(options: DispatchBenchOptions = {}, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  const rows = options.rows ?? 1_000_000;
  const sends = Math.min(options.sends ?? 20_000, rows);
  const base = options.databaseUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const machine = await describeMachine(base);
  const scratch = await createScratchDatabase(base);
  let planning: Awaited<ReturnType<typeof measurePlanning>>;
  let writeFloor: Awaited<ReturnType<typeof measureWriteFloor>>;
  let sending: Awaited<ReturnType<typeof measureSends>>;
  let loadSeconds: number;
  try {
    const app = await startApp(scratch.url);
    try {
      log(`dispatch: loading ${rows} open cases into ${new URL(scratch.url).pathname.slice(1)}`);
      loadSeconds = await loadOpenCases(scratch.url, rows, app.clock.now(), app.vault, log);
      planning = await measurePlanning(app, log);
      writeFloor = await measureWriteFloor(scratch.url, log);
      sending = await measureSends(app, scratch.url, sends, log);
    } finally {
      await app.close();
    }
  } finally {
    await scratch.drop();
  }

  const budget = (PLAN_SECONDS_PER_MILLION * rows) / 1_000_000;
  const targets = [
    { name: `planning ${rows} open cases takes under ${budget} s`, target: `seconds < ${budget}`, actual: planning.seconds, pass: planning.seconds < budget },
    { name: `peak RSS while planning stays under ${RSS_LIMIT_MIB} MiB`, target: `MiB < ${RSS_LIMIT_MIB}`, actual: planning.peakRssMiB, pass: planning.peakRssMiB < RSS_LIMIT_MIB },
    { name: 'every send reached the gateway once and was marked sent', target: `sent = distinct keys = ${sends}`, actual: `${sending.sent}/${sending.distinctKeys}`, pass: sending.sent === sends && sending.distinctKeys === sends },
  ];
  const report = {
    benchmark: 'dispatch',
    date: new Date().toISOString(),
    machine,
    parameters: { rows, sends, clockStart: CLOCK_START, pageSize: 2000, loadSeconds: round(loadSeconds, 1), note: 'one customer, one overdue bill and one open case per row; zones, locales, consents and identities mixed (see bench/dispatch-data.ts)' },
    planning: { what: 'planContacts(db, shipped policy, now) over every open case, attempts written', ...planning, targetSeconds: budget, rssLimitMiB: RSS_LIMIT_MIB },
    peer: { ...writeFloor!, planningToFloorRatio: round(planning!.seconds / Math.max(0.001, writeFloor!.seconds)) },
    sending,
    processPeakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    targets,
  };
  const resultFile = join(packageRoot(), 'bench', 'results', 'dispatch.json');
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  for (const t of targets) log(`dispatch: ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.actual} (${t.target})`);
  log(`dispatch: wrote ${resultFile}`);
  return { name: 'dispatch', resultFile, failures: targets.filter((t) => !t.pass).map((t) => `${t.name}: ${t.actual} (${t.target})`) };
}
