import { performance } from 'node:perf_hooks';
import { type Result, fail, ok } from '../../core/errors.js';
import { rocAuc } from './auc.js';
import { readCsvTable } from './csv-table.js';
import { type LabelledDataset, type TableInput, buildFeatures, buildTarget, checkColumns, countClasses, selectRows } from './dataset.js';
import { type EvalSpec } from './eval-specs.js';
import { type GbmOptions, fitGbm, predictGbm } from './gbm.js';
import { fitLogistic, predictLogistic } from './logistic.js';
import { stratifiedSplit } from './split.js';

export const DEFAULT_EVAL_SEED = 42;
export const TEST_FRACTION = 0.2;

export interface EvalOptions {
  seed: number;
  gbm?: Partial<GbmOptions>;
  /** Measures fit time; injected so that tests need not depend on the wall clock. */
  now?: () => number;
}

export interface EvalReport {
  kind: EvalSpec['kind'];
  rows: number;
  trainRows: number;
  testRows: number;
  positiveRate: number;
  seed: number;
  auc: number;
  fitSeconds: number;
  iterations: number;
  baselineAuc: number;
  baselineFitSeconds: number;
}

/** The labelled dataset a spec describes; every missing column is named at once. */
export function datasetFromTable(table: TableInput, spec: EvalSpec): Result<LabelledDataset> {
  const present = checkColumns(table.header, [...spec.features.map((f) => f.name), spec.target.name]);
  if (!present.ok) return present;
  const features = buildFeatures(table, spec.features);
  if (!features.ok) return features;
  const target = buildTarget(table, spec.target);
  if (!target.ok) return target;
  return ok({ ...features.value, target: target.value });
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Fits both models on a seeded, stratified 80/20 split and scores them on the 20%. The GBM's early
 * stopping holds out part of the 80%: the 20% is touched only to measure.
 */
export function evaluateDataset(data: LabelledDataset, spec: EvalSpec, options: EvalOptions): Result<EvalReport> {
  const now = options.now ?? (() => performance.now());
  const split = stratifiedSplit(data.target, TEST_FRACTION, options.seed);
  const train = selectRows(data, split.train);
  const test = selectRows(data, split.test);
  const started = now();
  const gbm = fitGbm(train, { seed: options.seed, ...options.gbm });
  const fitSeconds = (now() - started) / 1000;
  if (!gbm.ok) return gbm;
  const baselineStarted = now();
  const logistic = fitLogistic(train);
  const baselineFitSeconds = (now() - baselineStarted) / 1000;
  if (!logistic.ok) return logistic;
  const gbmScores = predictGbm(gbm.value.model, test);
  const baselineScores = predictLogistic(logistic.value.model, test);
  if (!gbmScores.ok) return gbmScores;
  if (!baselineScores.ok) return baselineScores;
  return ok({
    kind: spec.kind,
    rows: data.rows,
    trainRows: train.rows,
    testRows: test.rows,
    positiveRate: round(countClasses(data.target).positives / data.rows, 4),
    seed: options.seed,
    auc: round(rocAuc(gbmScores.value, test.target), 4),
    fitSeconds: round(fitSeconds, 2),
    iterations: gbm.value.iterations,
    baselineAuc: round(rocAuc(baselineScores.value, test.target), 4),
    baselineFitSeconds: round(baselineFitSeconds, 2),
  });
}

/** `recoup eval`'s work: read the CSV, check its columns, fit, score. */
export async function evaluateCsv(path: string, spec: EvalSpec, options: EvalOptions): Promise<Result<EvalReport>> {
  const table = await readCsvTable(path);
  if (!table.ok) return table;
  const data = datasetFromTable(table.value, spec);
  if (!data.ok) return fail({ ...data.error, message: `${path}: ${data.error.message}` });
  return evaluateDataset(data.value, spec, options);
}
