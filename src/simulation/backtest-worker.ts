import { parentPort, workerData } from 'node:worker_threads';
import type { BacktestInput, BacktestMessage, BacktestRun } from './backtest-job.js';
import { runSimulation } from './run-simulation.js';
import { summarise } from './summary.js';

/**
 * The body of a backtest started from the console, run in a worker thread so a minutes-long
 * simulation never stalls the API. It says after each simulated day how far it got, then sends the
 * figures of each run (and of the learning policy's control group) in one message.
 */
const input = workerData as BacktestInput;
const port = parentPort!;
const policies = input.compare ? [input.policy, input.policy === 'ai' ? 'baseline' : 'ai'] as const : [input.policy];

const runs: BacktestRun[] = policies.map((policy, run) => {
  const result = runSimulation({ customers: input.customers, days: input.days, policy, seed: input.seed }, undefined, (day) =>
    port.postMessage({ type: 'day', done: run * input.days + day + 1 } satisfies BacktestMessage),
  );
  const groups = result.groups
    ? { control: summarise({ ...result, totals: result.groups.control }), policy: summarise({ ...result, totals: result.groups.policy }) }
    : undefined;
  return { ...summarise(result), ...(groups ? { groups } : {}), ...(result.offPolicy ? { offPolicy: result.offPolicy } : {}), seconds: Number(result.seconds.toFixed(2)) };
});
port.postMessage({ type: 'done', runs } satisfies BacktestMessage);
