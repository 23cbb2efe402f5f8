import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS } from '../src/decisioning/training/index.js';
import { failJobOnThrow, startJob, startJobUnlessRunning } from '../src/jobs/jobs.js';
import { backtestLabel, backtestSteps, startBacktest } from '../src/simulation/backtest-job.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

/** Long work as the console sees it: retraining and backtests started from the API, one at a time, followed to their end. */
describe('jobs and retraining from the console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite');
  });
  afterAll(async () => h?.close());

  const jobs = async () => (await h.call('GET', '/v1/jobs')).body.items as Array<{ id: string; status: string; done: number; total: number; detail: Record<string, unknown>; actor: string }>;

  it('refuses a second training run while one is going', async () => {
    const running = await startJob(h.app.db, h.app.clock, { kind: 'training', label: 'retrain', actor: 'test', total: 2 });
    running.progress(1);
    const refused = await h.call('POST', '/v1/models/retrain', {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(running.id);
    await running.finish({});
  });

  it('runs every model kind in the background, one step each, and ends with each kind\'s result', async () => {
    const started = await h.call('POST', '/v1/models/retrain', {});
    expect(started.status).toBe(202);
    let job: Awaited<ReturnType<typeof jobs>>[number] | undefined;
    for (let i = 0; i < 100 && job?.status !== 'done'; i++) {
      job = (await jobs()).find((j) => j.id === started.body.jobId);
      if (job?.status !== 'done') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({ status: 'done', done: MODEL_KINDS.length, total: MODEL_KINDS.length, actor: expect.stringMatching(/^api_key:/) });
    // An empty database has nothing to learn from: each kind is refused, and says why.
    for (const kind of MODEL_KINDS) expect(job!.detail[kind]).toMatchObject({ refused: expect.stringMatching(/^too little data: /) });
  });

  it('runs a backtest in the background, reporting its days as they pass, and ends with both policies\' figures', async () => {
    const started = await h.call('POST', '/v1/backtests', { customers: 3000, days: 40, policy: 'ai', seed: 7 });
    expect(started.status).toBe(202);
    const seen = new Set<number>();
    let job: Awaited<ReturnType<typeof jobs>>[number] | undefined;
    for (let i = 0; i < 1200 && job?.status !== 'done' && job?.status !== 'failed'; i++) {
      job = (await jobs()).find((j) => j.id === started.body.jobId);
      if (job?.status === 'running') seen.add(job.done);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job, JSON.stringify(job?.detail)).toMatchObject({ status: 'done', done: 80, total: 80, actor: expect.stringMatching(/^api_key:/) });
    // Progress arrived while it ran, not only at the end.
    expect([...seen].some((done) => done > 0 && done < 80)).toBe(true);
    const runs = job!.detail.runs as Array<{ policy: string; seed: number; contacts: number; recoveryRate: number; groups?: { control: { contacts: number } } }>;
    expect(runs.map((r) => r.policy)).toEqual(['ai', 'baseline']);
    expect(runs.every((r) => r.seed === 7 && r.contacts > 0 && r.recoveryRate > 0)).toBe(true);
    expect(runs[0]!.groups!.control.contacts).toBeGreaterThan(0);
    // The learning run's off-policy estimates travel with its figures; the baseline run has none.
    expect((runs[0] as { offPolicy?: { candidates: Array<{ name: string }> } }).offPolicy!.candidates.map((c) => c.name)).toEqual(['baseline', 'wait']);
    expect(runs[1]).not.toHaveProperty('offPolicy');
    expect(job!.detail.comparison).toMatchObject({ recoveryRatio: expect.any(Number), contactsRatio: expect.any(Number) });
  });

  it('refuses a bad backtest by field, and records no job for it', async () => {
    const before = (await jobs()).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ customers: 0, days: 30, policy: 'ai', seed: 1 }, 'customers'],
      [{ customers: 100_001, days: 30, policy: 'ai', seed: 1 }, 'customers'],
      [{ customers: 10, days: 1, policy: 'ai', seed: 1 }, 'days'],
      [{ customers: 10, days: 30, policy: 'random', seed: 1 }, 'policy'],
      [{ customers: 10, days: 30, policy: 'ai', seed: -1 }, 'seed'],
    ];
    for (const [body, field] of cases) {
      const refused = await h.call('POST', '/v1/backtests', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.details.map((d: { field: string }) => d.field).join(' ')).toContain(field);
    }
    expect((await jobs()).length).toBe(before);
  });

  it('records a backtest stopped by a shutdown as stopped, not as lost', async () => {
    const input = { customers: 20_000, days: 200, policy: 'ai' as const, seed: 3, compare: true };
    const job = await startJob(h.app.db, h.app.clock, { kind: 'backtest', label: backtestLabel(input), actor: 'test', total: backtestSteps(input) });
    const running = startBacktest(input, job);
    await running.stop();
    const stopped = (await jobs()).find((j) => j.id === job.id);
    expect(stopped).toMatchObject({ status: 'failed', detail: { error: 'stopped: the server shut down' } });
    expect(stopped!.done).toBeLessThan(400);
  });

  it('starts one backtest when two requests arrive together, and refuses another until it is done', async () => {
    const body = { customers: 2000, days: 30, policy: 'ai', seed: 5 };
    const [a, b] = await Promise.all([h.call('POST', '/v1/backtests', body), h.call('POST', '/v1/backtests', body)]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const started = (a.status === 202 ? a : b).body.jobId as string;
    // While it runs, a third is refused too; once it is done, the next may start.
    expect((await h.call('POST', '/v1/backtests', body)).status).toBe(409);
    for (let i = 0; i < 600 && (await jobs()).find((j) => j.id === started)?.status === 'running'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobs()).find((j) => j.id === started)?.status).toBe('done');
  });

  it('refuses a second backtest while one is going', async () => {
    const running = await startJob(h.app.db, h.app.clock, { kind: 'backtest', label: 'backtest', actor: 'test', total: 2 });
    const refused = await h.call('POST', '/v1/backtests', { customers: 10, days: 10, policy: 'baseline', seed: 1, compare: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(running.id);
    await running.finish({});
  });

  it('shows jobs to analysts, starts them for operators only', async () => {
    const key = async (role: string) => (await h.call('POST', '/v1/api-keys', { name: `jobs-${role}`, role })).body.key as string;
    const analyst = await key('analyst');
    expect((await h.call('GET', '/v1/jobs', undefined, analyst)).status).toBe(200);
    expect((await h.call('POST', '/v1/models/retrain', {}, analyst)).status).toBe(403);
    // A backtest runs on synthetic debtors only: analysts may start one, agents may not.
    expect((await h.call('POST', '/v1/backtests', { customers: 20, days: 5, policy: 'baseline', seed: 1, compare: false }, analyst)).status).toBe(202);
    expect((await h.call('POST', '/v1/backtests', { customers: 20, days: 5, policy: 'baseline', seed: 1 }, await key('agent'))).status).toBe(403);
    expect((await h.call('GET', '/v1/jobs', undefined, await key('agent'))).status).toBe(403);
  });
});

// On PostgreSQL the starts run on separate pooled connections, where a check-then-insert without the lock lets several through.
describe.each(DATABASE_KINDS)('one job of a kind at a time on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('lets exactly one of many simultaneous starts through, on separate connections', async () => {
    const input = { kind: 'training' as const, label: 'race', actor: 'test', total: 1 };
    // Open the pool's connections first, so the starts below really run side by side rather than
    // one after another while new connections are made.
    await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.05)`.execute(h.app.db)));
    const attempts = await Promise.all(Array.from({ length: 12 }, () => startJobUnlessRunning(h.app.db, h.app.clock, input)));
    const started = attempts.filter((a) => 'job' in a);
    expect(started).toHaveLength(1);
    const winner = (started[0] as { job: { id: string } }).job.id;
    for (const refused of attempts.filter((a) => 'busy' in a)) expect(refused).toEqual({ busy: winner });
    const rows = await sql<{ id: string }>`select id from jobs where label = 'race'`.execute(h.app.db);
    expect(rows.rows.map((r) => r.id)).toEqual([winner]);
  });

  it('records work that throws as failed, with its error, and passes the error on', async () => {
    const job = await startJob(h.app.db, h.app.clock, { kind: 'import', label: 'crash', actor: 'test' });
    await expect(failJobOnThrow(job, async () => { throw new Error('the database went away'); })).rejects.toThrow('the database went away');
    const row = await sql<{ status: string; detail: { error: string } }>`select status, detail from jobs where id = ${job.id}`.execute(h.app.db);
    expect(row.rows).toEqual([{ status: 'failed', detail: { error: 'the database went away' } }]);
    // Work that ends by itself is left to end the job as it chooses.
    const fine = await startJob(h.app.db, h.app.clock, { kind: 'import', label: 'fine', actor: 'test' });
    expect(await failJobOnThrow(fine, async () => 42)).toBe(42);
    expect((await sql<{ status: string }>`select status from jobs where id = ${fine.id}`.execute(h.app.db)).rows[0]!.status).toBe('running');
  });
});
