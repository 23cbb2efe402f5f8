import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { GROUP_BYS } from '../src/analytics/kpis.js';
import { refreshKpiRollup } from '../src/analytics/kpi-rollup.js';
import { createApp } from '../src/app.js';
import { ensureAdminKey } from '../src/auth/api-keys.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { packageRoot } from '../src/core/package-root.js';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { buildServer } from '../src/http/server.js';
import { loadAnalyticsData } from './analytics-data.js';
import { describeMachine } from './machine.js';

const WINDOW_END = '2026-03-01T00:00:00.000Z';
const TARGET_MS = 1000;
const RUNS = 3;
const KEY = 'bench-analytics-admin-key-0123456789';

/**
 * The dashboard's one request, GET /v1/analytics/kpis over the last 30 days, through the real
 * server on PostgreSQL, with a million contact attempts in that window, once per grouping: first
 * counted live (the peer), then from the daily rollup after one run of its work.
 */
export async function run(options: { rows?: number } = {}, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  const attempts = options.rows ?? 1_000_000;
  const customers = Math.max(10, Math.round(attempts / 10));
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const machine = await describeMachine(base);
  const scratch = await createScratchDatabase(base, 'recoup_bench_analytics');
  const timings: Record<string, { medianMs: number; runsMs: number[]; groups: number }> = {};
  const liveTimings: typeof timings = {};
  let loadSeconds: number;
  let rollupSeconds = 0;
  let rollupDays = 0;
  try {
    const config = loadConfig({ databaseUrl: scratch.url, dataDir: 'memory://', secretKey: generateSecret(), logLevel: 'error', clock: { mode: 'virtual', start: WINDOW_END } }, {});
    const app = await createApp(config, { logger: pino({ level: 'error' }) });
    try {
      await ensureAdminKey(app.db, app.clock, KEY);
      log(`analytics: loading ${attempts} attempts for ${customers} customers`);
      const started = performance.now();
      await loadAnalyticsData(scratch.url, { attempts, customers }, new Date(WINDOW_END));
      loadSeconds = (performance.now() - started) / 1000;
      const server = await buildServer(app);
      await server.ready();
      const measure = async (label: string) => {
        const measured: typeof timings = {};
        for (const groupBy of GROUP_BYS) {
          const runsMs: number[] = [];
          let groups = 0;
          for (let i = 0; i < RUNS; i++) {
            const t = performance.now();
            const response = await server.inject({ method: 'GET', url: `/v1/analytics/kpis?groupBy=${groupBy}`, headers: { authorization: `Bearer ${KEY}` } });
            runsMs.push(Math.round(performance.now() - t));
            if (response.statusCode !== 200) throw new Error(`kpis answered ${response.statusCode}: ${response.body}`);
            const body = response.json() as { totals: { attempted: number }; groups: unknown[] };
            groups = body.groups.length;
            if (i === 0) log(`analytics (${label}): groupBy=${groupBy}: ${body.totals.attempted} attempts in ${groups} groups`);
          }
          const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
          measured[groupBy] = { medianMs, runsMs, groups };
          log(`analytics (${label}): groupBy=${groupBy}: median ${medianMs} ms (${runsMs.join(', ')})`);
        }
        return measured;
      };
      // The peer: every figure counted from the attempts on each request, as before the daily rollup.
      Object.assign(liveTimings, await measure('counted live'));
      const rollupStarted = performance.now();
      rollupDays = await refreshKpiRollup(app.db, app.clock.now(), { discover: true });
      rollupSeconds = (performance.now() - rollupStarted) / 1000;
      log(`analytics: the rollup counted ${rollupDays} days in ${rollupSeconds.toFixed(1)} s`);
      Object.assign(timings, await measure('daily rollup'));
      await server.close();
    } finally {
      await app.close();
    }
  } finally {
    await scratch.drop();
  }
  const targets = Object.entries(timings).map(([groupBy, t]) => ({
    name: `GET /v1/analytics/kpis?groupBy=${groupBy} with ${attempts} attempts answers in under ${TARGET_MS} ms`,
    target: `ms < ${TARGET_MS}`, actual: t.medianMs, pass: t.medianMs < TARGET_MS,
  }));
  const report = { benchmark: 'analytics', date: new Date().toISOString(), machine, parameters: { attempts, customers, windowDays: 30, runs: RUNS, loadSeconds: Math.round(loadSeconds! * 10) / 10 },
    rollup: { days: rollupDays, seconds: Math.round(rollupSeconds * 10) / 10, note: 'one run of the kpi-rollup work over the loaded history; it then recounts only the open days each hour' },
    timings,
    peer: { name: 'the same request counted live from the attempts, without the rollup', timings: liveTimings },
    ratios: Object.fromEntries(Object.keys(timings).map((g) => [g, Math.round((liveTimings[g]!.medianMs / Math.max(1, timings[g]!.medianMs)) * 10) / 10])),
    targets };
  const resultFile = join(packageRoot(), 'bench', 'results', 'analytics.json');
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  for (const t of targets) log(`analytics: ${t.pass ? 'PASS' : 'FAIL'} ${t.name}: ${t.actual} (${t.target})`);
  return { name: 'analytics', resultFile, failures: targets.filter((t) => !t.pass).map((t) => `${t.name}: ${t.actual} (${t.target})`) };
}
