import { sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/database.js';

/**
 * Long work, recorded so the console can show it while it runs: an import's bytes read, a backtest's
 * simulated days, a training run's model kinds fitted. Progress is written at most every PROGRESS_MS
 * of wall time (a million-row import reports thousands of times), and always at the end.
 */
export type JobKind = 'import' | 'training' | 'backtest';
export type JobStatus = 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  kind: JobKind;
  label: string;
  actor: string;
  status: JobStatus;
  done: number;
  total: number | null;
  detail: Record<string, unknown>;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface Job {
  readonly id: string;
  /** Records how far the work got; cheap to call often. */
  progress(done: number, total?: number): void;
  finish(detail?: Record<string, unknown>): Promise<void>;
  fail(message: string, detail?: Record<string, unknown>): Promise<void>;
}

const PROGRESS_MS = 250;

export interface JobInput {
  kind: JobKind;
  label: string;
  actor: string;
  total?: number;
}

async function insertJob(db: Db, now: Date, input: JobInput): Promise<string> {
  const row = await sql<{ id: string }>`
    insert into jobs (kind, label, actor, status, total, started_at, updated_at)
    values (${input.kind}, ${input.label}, ${input.actor}, 'running', ${input.total ?? null}, ${now}::timestamptz, ${now}::timestamptz)
    returning id`.execute(db);
  return row.rows[0]!.id;
}

export async function startJob(db: Db, clock: Clock, input: JobInput): Promise<Job> {
  return jobHandle(db, clock, await insertJob(db, clock.now(), input), input.total);
}

// The first key of the advisory locks that make "one of a kind at a time" a check no two requests pass together.
const ONE_AT_A_TIME_LOCK = 0x7265636f;

/**
 * Starts a job unless one of its kind is running (one backtest or training run at a time is enough
 * for a machine). The check and the insert hold one advisory lock per kind: two requests at the same
 * moment, even on two API processes, cannot both find none running and both start one.
 */
export async function startJobUnlessRunning(db: Db, clock: Clock, input: JobInput): Promise<{ job: Job } | { busy: string }> {
  const started = await db.transaction().execute(async (trx): Promise<{ busy: string } | { id: string }> => {
    await sql`select pg_advisory_xact_lock(${ONE_AT_A_TIME_LOCK}, hashtext(${input.kind}))`.execute(trx);
    const busy = await runningJob(trx, input.kind, clock.now());
    return busy ? { busy } : { id: await insertJob(trx, clock.now(), input) };
  });
  return 'busy' in started ? started : { job: jobHandle(db, clock, started.id, input.total) };
}

function jobHandle(db: Db, clock: Clock, id: string, total: number | undefined): Job {
  let written = 0;
  // Writes go one after another, so a late progress write can never land after the final state.
  let chain: Promise<unknown> = Promise.resolve();
  const write = (set: () => Promise<unknown>) => {
    chain = chain.then(set).catch(() => undefined);
    return chain;
  };
  let latest = { done: 0, total: total ?? null };
  const end = (status: JobStatus, detail: Record<string, unknown>) =>
    write(() => sql`
      update jobs set status = ${status}, done = ${latest.done}, total = ${latest.total}, detail = ${JSON.stringify(detail)}::jsonb,
        updated_at = ${clock.now()}::timestamptz, finished_at = ${clock.now()}::timestamptz
      where id = ${id}`.execute(db)).then(() => undefined);
  return {
    id,
    progress(done, total) {
      latest = { done, total: total ?? latest.total };
      if (performance.now() - written < PROGRESS_MS) return;
      written = performance.now();
      const snapshot = latest;
      void write(() => sql`update jobs set done = ${snapshot.done}, total = ${snapshot.total}, updated_at = ${clock.now()}::timestamptz where id = ${id} and status = 'running'`.execute(db));
    },
    finish: (detail = {}) => end('done', detail),
    fail: (message, detail = {}) => end('failed', { ...detail, error: message }),
  };
}

/**
 * Runs `work` for a job and, if it throws instead of ending the job itself, records the job as failed
 * with the error before passing it on: a crashed import must not show as running until it goes stale.
 */
export async function failJobOnThrow<T>(job: Job, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await job.fail((error as Error).message ?? String(error));
    throw error;
  }
}

export async function listJobs(db: Db, limit = 50): Promise<JobView[]> {
  const rows = await sql<{
    id: string; kind: JobKind; label: string; actor: string; status: JobStatus; done: string; total: string | null;
    detail: Record<string, unknown>; started_at: Date; updated_at: Date; finished_at: Date | null;
  }>`select * from jobs order by started_at desc, id limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id, kind: r.kind, label: r.label, actor: r.actor, status: r.status,
    done: Number(r.done), total: r.total === null ? null : Number(r.total), detail: r.detail,
    startedAt: new Date(r.started_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
}

// A job not heard from in this long died with its process: it no longer counts as running.
const STALE_MS = 3_600_000;

/** Whether a job of this kind is running now (one training at a time is enough). */
export async function runningJob(db: Db, kind: JobKind, now: Date): Promise<string | undefined> {
  const row = await sql<{ id: string }>`
    select id from jobs where kind = ${kind} and status = 'running' and updated_at > ${new Date(now.getTime() - STALE_MS)}::timestamptz limit 1`.execute(db);
  return row.rows[0]?.id;
}
