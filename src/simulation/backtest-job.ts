import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../core/package-root.js';
import type { Job } from '../jobs/jobs.js';
import type { OffPolicySummary } from './off-policy-log.js';
import type { PolicyName } from './run-simulation.js';
import { compareRuns, type SimulationSummary } from './summary.js';

/**
 * A backtest started from the console: the same seeded simulation as `recoup simulate`, run in a
 * worker thread and recorded as a job, so the console shows its progress day by day and its figures
 * when it ends.
 */
export interface BacktestInput {
  customers: number;
  days: number;
  policy: PolicyName;
  seed: number;
  /** Also run the other policy on the same world and compare the two. */
  compare: boolean;
}

export interface BacktestRun extends SimulationSummary {
  /** The learning policy's 5% control group (on the baseline schedule) and the rest. */
  groups?: { control: SimulationSummary; policy: SimulationSummary };
  /** The learning run's off-policy estimates of the baseline and of waiting (off-policy-log.ts). */
  offPolicy?: OffPolicySummary;
  seconds: number;
}

export type BacktestMessage = { type: 'day'; done: number } | { type: 'done'; runs: BacktestRun[] };

export interface RunningBacktest {
  /** Settles when the job has recorded how the backtest ended. */
  readonly ended: Promise<void>;
  /** Stops the worker; the job is recorded as failed (the server is going down). */
  stop(): Promise<void>;
}

export function backtestLabel(input: BacktestInput): string {
  const policies = input.compare ? `${input.policy} vs ${input.policy === 'ai' ? 'baseline' : 'ai'}` : input.policy;
  return `backtest ${policies}: ${input.customers} debtors, ${input.days} days, seed ${input.seed}`;
}

export function backtestSteps(input: BacktestInput): number {
  return input.days * (input.compare ? 2 : 1);
}

// The compiled worker sits beside this module under dist/; tests run this module from src/, where
// only the .ts exists, so they use the build that the test setup makes.
function workerFile(): string {
  const beside = fileURLToPath(new URL('./backtest-worker.js', import.meta.url));
  return existsSync(beside) ? beside : join(packageRoot(), 'dist', 'src', 'simulation', 'backtest-worker.js');
}

export function startBacktest(input: BacktestInput, job: Job): RunningBacktest {
  const worker = new Worker(workerFile(), { workerData: input });
  let stopping = false;
  let settled = false;
  const ended = new Promise<void>((resolve) => {
    // The first of the worker's figures, its error or its exit decides how the job ends; the rest are ignored.
    const end = (record: () => Promise<void>) => {
      if (settled) return;
      settled = true;
      void record().finally(resolve);
    };
    worker.on('message', (message: BacktestMessage) => {
      if (message.type === 'day') return job.progress(message.done);
      job.progress(backtestSteps(input));
      const ai = message.runs.find((r) => r.policy === 'ai');
      const baseline = message.runs.find((r) => r.policy === 'baseline');
      end(() => job.finish({ runs: message.runs, ...(ai && baseline ? { comparison: compareRuns(ai, baseline) } : {}) }));
    });
    worker.on('error', (error) => end(() => job.fail(error.message)));
    worker.on('exit', (code) => end(() => job.fail(stopping ? 'stopped: the server shut down' : `the backtest worker exited with code ${code}`)));
  });
  return {
    ended,
    async stop() {
      stopping = true;
      await worker.terminate();
      await ended;
    },
  };
}
