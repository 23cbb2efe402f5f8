import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../core/package-root.js';
import type { Db } from '../db/database.js';
import type { DecisioningSettings } from '../decisioning/live/live-decisioning.js';
import type { PolicySource } from '../strategy/load-policy.js';
import type { PlanResult } from './planner.js';

/**
 * Planning a large run in several threads. Planning a million cases kept one core busy with this
 * process's own work (evaluating, choosing, writing COPY text) while PostgreSQL used well under the
 * other one (bench/dispatch): in two threads, each half of the run has a core, and the database
 * fills what is left. Each thread has its own connections, compiles the policy from its source,
 * and begins its own decisioning run from the same settings; a situation's distribution is seeded by
 * the run's instant and the situation (live-decisioning.ts), so both threads choose alike.
 */

/** Open cases of customers after `after`, and at most `upTo` when given. */
export interface CaseRange {
  after: string;
  upTo?: string;
}

export const WHOLE_RANGE: CaseRange = { after: '00000000-0000-0000-0000-000000000000' };

// Below this many cases per thread, starting a thread (loading the modules, connecting, loading the
// outcome counts: about half a second) costs more than the thread saves.
export const MIN_CASES_PER_THREAD = 50_000;

/**
 * The open cases in up to `parts` ranges of about equal size, each of at least `minPerPart` cases;
 * one range (the whole) when there are too few to split. Cut by position in customer-id order,
 * so ids clustered in time (version 7) split as evenly as random ones.
 */
export async function splitOpenCases(db: Db, parts: number, minPerPart: number): Promise<CaseRange[]> {
  const open = await db.selectFrom('cases').select(({ fn }) => fn.countAll<string>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  const total = Number(open.n);
  const count = Math.min(parts, Math.floor(total / Math.max(1, minPerPart)));
  if (count <= 1) return [WHOLE_RANGE];
  const bounds: string[] = [];
  for (let i = 1; i < count; i++) {
    const row = await db
      .selectFrom('cases')
      .select('customer_id')
      .where('status', '=', 'open')
      .orderBy('customer_id')
      .offset(Math.floor((total * i) / count) - 1)
      .limit(1)
      .executeTakeFirst();
    if (row && row.customer_id !== bounds[bounds.length - 1]) bounds.push(row.customer_id);
  }
  const ranges: CaseRange[] = [];
  let after = WHOLE_RANGE.after;
  for (const upTo of bounds) {
    ranges.push({ after, upTo });
    after = upTo;
  }
  ranges.push({ after });
  return ranges;
}

/** What a planning thread is given: plain data only, since nothing else crosses to a thread. */
export interface ThreadRequest {
  databaseUrl: string;
  /** The run's instant, in epoch milliseconds. */
  now: number;
  range: CaseRange;
  pageSize: number;
  policy: PolicySource;
  decisioning: DecisioningSettings | undefined;
}

/**
 * The thread's entry point, built: under vitest the sources are TypeScript, which a thread cannot
 * load, so tests run the compiled copy that their setup builds (vitest.config.ts).
 */
function workerFile(): URL {
  if (import.meta.url.endsWith('.js')) return new URL('./planning-worker.js', import.meta.url);
  return pathToFileURL(resolve(packageRoot(), 'dist/src/delivery/planning-worker.js'));
}

/** Plans `request.range` in a new thread; resolves with its counts once the thread has closed its connections. */
export function planInThread(request: ThreadRequest): Promise<PlanResult> {
  return new Promise((resolvePlan, reject) => {
    let result: PlanResult | undefined;
    let failure: unknown;
    const worker = new Worker(workerFile(), { workerData: request });
    worker.on('message', (message: PlanResult) => {
      result = message;
    });
    worker.on('error', (error) => {
      failure = error;
    });
    worker.on('exit', (code) => {
      if (result) resolvePlan(result);
      else reject(failure ?? new Error(`the planning thread for customers after ${request.range.after} exited with code ${code} before it finished`));
    });
  });
}

/** The threads a deployment plans in: on PostgreSQL only, as configured and at most one per core. */
export function plannerThreads(config: { databaseUrl?: string | undefined; planner: { threads: number } }): { count: number; databaseUrl: string } | undefined {
  if (!config.databaseUrl) return undefined;
  return { count: Math.min(config.planner.threads, availableParallelism()), databaseUrl: config.databaseUrl };
}
