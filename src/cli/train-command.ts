import { parseArgs } from 'node:util';
import { destination } from 'pino';
import { createApp, createLogger } from '../app.js';
import { loadConfig } from '../config.js';
import type { ModelKind } from '../db/schema.js';
import { MODEL_KINDS, type TrainReport, trainModel } from '../decisioning/training/index.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recoup train [--kind response|risk] [--label-days N] [--json]';

interface TrainArgs {
  kinds: readonly ModelKind[];
  labelDays: number | undefined;
  json: boolean;
}

function parseTrainArgs(args: string[]): TrainArgs {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { kind: { type: 'string' }, 'label-days': { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  const { kind, json } = parsed.values;
  if (kind !== undefined && !MODEL_KINDS.includes(kind as ModelKind)) throw new UsageError(`--kind must be response or risk, not ${JSON.stringify(kind)}; ${USAGE}`);
  const days = parsed.values['label-days'];
  if (days !== undefined && !(/^\d{1,2}$/.test(days) && Number(days) >= 1 && Number(days) <= 90)) {
    throw new UsageError(`--label-days must be a whole number of days from 1 to 90, got ${JSON.stringify(days)}`);
  }
  return { kinds: kind ? [kind as ModelKind] : MODEL_KINDS, labelDays: days === undefined ? undefined : Number(days), json };
}

const day = (at: Date | null) => (at ? at.toISOString().slice(0, 10) : '?');
const auc = (value: number | null) => (value === null ? 'n/a' : value.toFixed(4));

function describe(report: TrainReport): string {
  const { version, metrics } = report;
  const champion = metrics.championAuc === null ? '' : `   champion on the same hold-out ${auc(metrics.championAuc)}`;
  return [
    `${report.kind} v${version.version}: ${report.rows} rows from ${day(version.trained_from)} to ${day(version.trained_to)}, ${(metrics.positiveRate * 100).toFixed(1)}% positive; seeded stratified split: ${metrics.trainRows} train, ${metrics.testRows} held out`,
    `  gradient boosting ROC AUC ${auc(metrics.auc)}   fit ${metrics.fitSeconds.toFixed(2)} s   ${metrics.iterations} trees   logistic baseline ${auc(metrics.baselineAuc)}${champion}`,
    `  ${report.promoted ? 'promoted to champion' : 'kept as challenger'}: ${report.reason}`,
  ].join('\n');
}

function summary(report: TrainReport) {
  const { metrics } = report;
  return {
    kind: report.kind, version: report.version.version, id: report.version.id, rows: report.rows,
    auc: metrics.auc, baselineAuc: metrics.baselineAuc, championAuc: metrics.championAuc, fitSeconds: metrics.fitSeconds,
    promoted: report.promoted, role: report.version.role, reason: report.reason,
  };
}

/**
 * `recoup train`: refits each model kind (or the one named) from the outcomes recorded in the
 * configured database. A kind that cannot be trained (too little data, one class) is reported in one
 * line, stores nothing, and makes the exit code 2; the other kind is still trained.
 */
export async function runTrain(args: string[]): Promise<number> {
  const options = parseTrainArgs(args);
  const config = loadConfig();
  // Logs go to stderr: stdout is the report, and with --json a single line a script can parse.
  const logger = createLogger(config, destination(2));
  const app = await createApp(config, { logger });
  try {
    const reports: TrainReport[] = [];
    const refusals: string[] = [];
    for (const kind of options.kinds) {
      const result = await trainModel(
        { db: app.db, clock: app.clock, training: app.config.training, m2FromDay: app.config.stages.m2FromDay, logger },
        kind,
        { labelDays: options.labelDays },
      );
      if (result.ok) reports.push(result.value);
      else refusals.push(options.kinds.length > 1 ? `${kind}: ${result.error.message}` : result.error.message);
    }
    if (options.json) {
      if (reports.length > 0) process.stdout.write(`${JSON.stringify({ models: reports.map(summary) })}\n`);
    } else {
      for (const report of reports) process.stdout.write(`${describe(report)}\n`);
    }
    for (const refusal of refusals) process.stderr.write(`recoup: ${refusal}\n`);
    return refusals.length > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}
