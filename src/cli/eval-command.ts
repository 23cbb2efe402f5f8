import { parseArgs } from 'node:util';
import { DEFAULT_EVAL_SEED, EVAL_SPECS, type EvalKind, type EvalReport, evaluateCsv } from '../decisioning/models/index.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recoup eval response|risk --data FILE [--seed N] [--json]';

interface EvalArgs {
  kind: EvalKind;
  data: string;
  seed: number;
  json: boolean;
}

function parseEvalArgs(args: string[]): EvalArgs {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { data: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  const kind = positionals[0];
  if (positionals.length !== 1 || !(kind === 'response' || kind === 'risk')) {
    throw new UsageError(`eval takes one model name, response or risk${kind === undefined ? '' : `, not ${JSON.stringify(positionals.join(' '))}`}; ${USAGE}`);
  }
  if (!values.data) throw new UsageError(`--data FILE is required; ${USAGE}`);
  const seedText = values.seed ?? String(DEFAULT_EVAL_SEED);
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(seedText)}`);
  return { kind, data: values.data, seed: Number(seedText), json: values.json };
}

function describe(report: EvalReport, file: string): string {
  return [
    `${EVAL_SPECS[report.kind].describe}`,
    `data: ${file}: ${report.rows} rows, ${(report.positiveRate * 100).toFixed(1)}% positive; stratified split seed ${report.seed}: ${report.trainRows} train, ${report.testRows} test`,
    `gradient boosting   ROC AUC ${report.auc.toFixed(4)}   fit ${report.fitSeconds.toFixed(2)} s   ${report.iterations} trees`,
    `logistic baseline   ROC AUC ${report.baselineAuc.toFixed(4)}   fit ${report.baselineFitSeconds.toFixed(2)} s`,
  ].join('\n');
}

/** `recoup eval response|risk --data FILE`: fit on 80%, print ROC AUC on the other 20%. */
export async function runEval(args: string[]): Promise<number> {
  const options = parseEvalArgs(args);
  const result = await evaluateCsv(options.data, EVAL_SPECS[options.kind], { seed: options.seed });
  // Bad data is the user's to fix: one line, exit 2, as for bad flags.
  if (!result.ok) throw new UsageError(result.error.message);
  const report = result.value;
  process.stdout.write(`${describe(report, options.data)}\n`);
  if (options.json) {
    const { auc, fitSeconds, rows, baselineAuc, baselineFitSeconds, iterations, trainRows, testRows, seed } = report;
    process.stdout.write(`${JSON.stringify({ auc, fitSeconds, rows, baselineAuc, baselineFitSeconds, iterations, trainRows, testRows, seed })}\n`);
  }
  return 0;
}
