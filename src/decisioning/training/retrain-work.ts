import type { DueWork } from '../../core/work-loop.js';
import { MODEL_KINDS, newestVersionAt } from './model-versions.js';
import { type TrainDeps, trainModel } from './train-model.js';

export interface RetrainDeps extends TrainDeps {
  intervalHours: number;
  logger: TrainDeps['logger'] & { info(details: object, message: string): void };
  /** Called after each run, so that the process serves a newly promoted champion (and one another process promoted). */
  afterRun: () => Promise<void>;
}

const POLL_MS = 15 * 60_000;

/**
 * Scheduled retraining as due work: every model kind is refitted once per interval, counted from the
 * newest stored version (so a restart does not retrain, and a process that sees another's fresh
 * version waits) or from this process's last run (so a refused fit, too little data yet, waits a
 * whole interval too and the virtual clock never loops on it). Processes that do race to the same
 * run both store a version: versions are numbered under a lock, and the better one is champion.
 */
export function createRetrainWork(deps: RetrainDeps): DueWork {
  const intervalMs = deps.intervalHours * 3_600_000;
  let lastRun: number | undefined;

  async function lastRunAt(): Promise<number | null> {
    const stored = await newestVersionAt(deps.db);
    const times = [...(stored ? [stored.getTime()] : []), ...(lastRun === undefined ? [] : [lastRun])];
    return times.length > 0 ? Math.max(...times) : null;
  }

  return {
    name: 'model-retrain',
    // How often the real clock looks, not how often it trains: a start mid-interval must not wait a whole extra interval.
    intervalMs: Math.min(intervalMs, POLL_MS),
    async nextDueAt(now) {
      const last = await lastRunAt();
      return new Date(last === null ? now.getTime() : Math.max(now.getTime(), last + intervalMs));
    },
    async runDue(now) {
      const last = await lastRunAt();
      if (last !== null && now.getTime() < last + intervalMs) return;
      lastRun = now.getTime();
      for (const kind of MODEL_KINDS) {
        const report = await trainModel(deps, kind);
        if (report.ok) {
          const { version, promoted, reason, rows, metrics } = report.value;
          deps.logger.info({ kind, modelVersion: version.version, rows, auc: metrics.auc, baselineAuc: metrics.baselineAuc, promoted, reason }, 'model retrained');
        } else {
          deps.logger.warn({ kind, reason: report.error.message }, 'scheduled retraining refused; the model in force stays');
        }
      }
      await deps.afterRun();
    },
  };
}
