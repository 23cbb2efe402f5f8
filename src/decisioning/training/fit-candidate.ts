import { performance } from 'node:perf_hooks';
import { type Result, ok } from '../../core/errors.js';
import { countClasses } from '../models/dataset.js';
import {
  type GbmModel,
  type LabelledDataset,
  type LogisticModel,
  TEST_FRACTION,
  fitGbm,
  fitLogistic,
  predictGbm,
  predictLogistic,
  rocAuc,
  selectRows,
  stratifiedSplit,
} from '../models/index.js';

export interface CandidateFit {
  gbm: GbmModel;
  logistic: LogisticModel;
  metrics: CandidateMetrics;
}

/** What a version earned on its held-out rows; stored as the version's `metrics`. */
export interface CandidateMetrics {
  auc: number;
  baselineAuc: number;
  /** The champion of the time re-scored on this version's hold-out; null when there was none to score. */
  championAuc: number | null;
  trainRows: number;
  testRows: number;
  positiveRate: number;
  iterations: number;
  fitSeconds: number;
  seed: number;
  testFraction: number;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Fits the boosted trees and the logistic baseline on a seeded stratified split and scores both,
 * and the champion, on the same held-out rows: a challenger is compared with the champion on data
 * neither chose. A champion that cannot score these rows (its features no longer match) gets null.
 */
export function fitCandidate(data: LabelledDataset, seed: number, champion: GbmModel | undefined, clockMs: () => number = () => performance.now()): Result<CandidateFit> {
  const split = stratifiedSplit(data.target, TEST_FRACTION, seed);
  const train = selectRows(data, split.train);
  const test = selectRows(data, split.test);
  const started = clockMs();
  const gbm = fitGbm(train, { seed });
  const fitSeconds = (clockMs() - started) / 1000;
  if (!gbm.ok) return gbm;
  const logistic = fitLogistic(train);
  if (!logistic.ok) return logistic;
  const scores = predictGbm(gbm.value.model, test);
  if (!scores.ok) return scores;
  const baseline = predictLogistic(logistic.value.model, test);
  if (!baseline.ok) return baseline;
  const championScores = champion ? predictGbm(champion, test) : undefined;
  return ok({
    gbm: gbm.value.model,
    logistic: logistic.value.model,
    metrics: {
      auc: round(rocAuc(scores.value, test.target), 4),
      baselineAuc: round(rocAuc(baseline.value, test.target), 4),
      championAuc: championScores?.ok ? round(rocAuc(championScores.value, test.target), 4) : null,
      trainRows: train.rows,
      testRows: test.rows,
      positiveRate: round(countClasses(data.target).positives / data.rows, 4),
      iterations: gbm.value.iterations,
      fitSeconds: round(fitSeconds, 3),
      seed,
      testFraction: TEST_FRACTION,
    },
  });
}
