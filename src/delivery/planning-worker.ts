import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/database.js';
import { createLiveDecisioning } from '../decisioning/live/live-decisioning.js';
import { loadPolicy } from '../strategy/load-policy.js';
import { planRange } from './planner.js';
import type { ThreadRequest } from './planning-threads.js';

/**
 * A planning thread (planning-threads.ts): plans its range of open cases and posts the counts. A
 * failure is thrown, so the thread's 'error' event carries it to the run that started it.
 */
async function planThreadRange(request: ThreadRequest): Promise<void> {
  const compiled = loadPolicy(request.policy.text, request.policy.options);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const policy = compiled.value;
  // The connections one planning run uses: a read and its page's detail reads, and the writes in flight.
  const handle = await openDatabase({ databaseUrl: request.databaseUrl, poolSize: 8 });
  try {
    const now = new Date(request.now);
    const decisioning = request.decisioning ? createLiveDecisioning(request.decisioning) : undefined;
    const run = await decisioning?.begin(handle.db, now);
    const result = await planRange({ db: handle.db, policy: () => policy, decisioning }, run, now, request.range, request.pageSize);
    parentPort!.postMessage(result);
  } finally {
    await handle.close();
  }
}

await planThreadRange(workerData as ThreadRequest);
