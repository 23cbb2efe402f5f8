import type { DueWork } from '../../core/work-loop.js';
import { type Job, type JobInput, startJob } from '../../jobs/jobs.js';
import { MODEL_KINDS, newestVersionAt } from './model-versions.js';
import { type TrainDeps, trainModel } from './train-model.js';

export interface RetrainDeps extends TrainDeps {
  intervalHours: number;
  logger: TrainDeps['logger'] & { info(details: object, message: string): void };
  /** Called after each run, so that the process serves a newly promoted champion (and one another process promoted). */
  afterRun: () => Promise<void>;
}

const POLL_MS = 15 * 60_000;
/** Who retrains on the interval, as jobs and logs name it. */
const SCHEDULED = 'system:scheduled-retraining';

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
      await retrainAll(deps, SCHEDULED);
    },
  };
}

/** What a retraining run's job is called and counts: one step per model kind. */
export function trainingJobInput(actor: string): JobInput {
  return { kind: 'training', label: `retrain ${MODEL_KINDS.join(', ')}`, actor, total: MODEL_KINDS.length };
}

/** The job a retraining run reports to. */
export function startTrainingJob(deps: Pick<RetrainDeps, 'db' | 'clock'>, actor: string): Promise<Job> {
  return startJob(deps.db, deps.clock, trainingJobInput(actor));
}

/**
 * Refits every model kind, as a job the console shows (one step per kind), and logs each result; a
 * kind refused for lack of data keeps the model in force. Then the process adopts new champions.
 */
export async function retrainAll(deps: RetrainDeps, actor: string, job?: Job): Promise<void> {
  const running = job ?? (await startTrainingJob(deps, actor));
  const results: Record<string, unknown> = {};
  try {
    for (const [index, kind] of MODEL_KINDS.entries()) {
      const report = await trainModel(deps, kind);
      if (report.ok) {
        const { version, promoted, reason, rows, metrics } = report.value;
        deps.logger.info({ kind, modelVersion: version.version, rows, auc: metrics.auc, baselineAuc: metrics.baselineAuc, promoted, reason }, 'model retrained');
        results[kind] = { version: version.version, rows, auc: metrics.auc, promoted, reason };
      } else {
        deps.logger.warn({ kind, reason: report.error.message }, `${actor === SCHEDULED ? 'scheduled ' : ''}retraining refused; the model in force stays`);
        results[kind] = { refused: report.error.message };
      }
      running.progress(index + 1);
    }
    await deps.afterRun();
    await running.finish(results);
  } catch (error) {
    await running.fail((error as Error).message, results);
    throw error;
  }
}
