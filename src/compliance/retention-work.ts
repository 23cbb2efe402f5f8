import type { DueWork, WorkLoopLogger } from '../core/work-loop.js';
import type { Db } from '../db/database.js';
import { purgeExpiredPersonalData, type RetentionOptions } from './retention.js';

export interface RetentionWorkDeps extends RetentionOptions {
  db: Db;
  runEveryHours: number;
  logger: WorkLoopLogger & { info(details: object, message: string): void };
}

/**
 * The retention purge as due work: at start, then every `runEveryHours`. On the virtual clock an
 * advance runs it at each of those instants, so a simulated year purges as a real one would.
 */
export function createRetentionWork(deps: RetentionWorkDeps): DueWork {
  const intervalMs = deps.runEveryHours * 3_600_000;
  let lastRun: number | undefined;
  return {
    name: 'retention',
    intervalMs,
    nextDueAt: async (now) => new Date(lastRun === undefined ? now.getTime() : Math.max(now.getTime(), lastRun + intervalMs)),
    runDue: async (now) => {
      if (lastRun !== undefined && now.getTime() < lastRun + intervalMs) return;
      lastRun = now.getTime();
      const report = await purgeExpiredPersonalData(deps.db, now, deps);
      if (report.customers > 0) deps.logger.info({ customers: report.customers, inactiveSince: report.cutoff }, 'personal data purged under the retention policy');
    },
  };
}
