import type { Clock } from '../../core/clock.js';
import { type Result, fail, invalid, ok } from '../../core/errors.js';
import type { Db } from '../../db/database.js';
import type { ModelKind } from '../../db/schema.js';
import { countClasses } from '../models/dataset.js';
import { type CandidateMetrics, fitCandidate } from './fit-candidate.js';
import { datasetFromRecords } from './feature-table.js';
import { FEATURE_SETS, type ModelVersionSummary, championRow, loadModel, modelDocument, storeVersion } from './model-versions.js';
import { loadResponseRows } from './response-rows.js';
import { loadRiskRows } from './risk-rows.js';
import type { TrainingRows } from './training-rows.js';

export interface TrainingConfig {
  labelDays: number;
  minRows: number;
  maxRows: number;
  seed: number;
}

export interface TrainDeps {
  db: Db;
  clock: Clock;
  training: TrainingConfig;
  /** Day on which a receivable enters M2: what the risk model predicts. */
  m2FromDay: number;
  logger: { warn(details: object, message: string): void };
}

export interface TrainReport {
  kind: ModelKind;
  version: ModelVersionSummary;
  rows: number;
  metrics: CandidateMetrics;
  promoted: boolean;
  /** Why it was or was not promoted, in words. */
  reason: string;
}

// The held-out fifth must hold a few of each outcome, or its AUC is a coin toss.
export const MIN_PER_CLASS = 10;

/** Refuses what no model can honestly be fitted on, naming what is missing; nothing is stored. */
export function checkRows(rows: TrainingRows, minRows: number): Result<true> {
  const n = rows.labels.length;
  if (n < minRows) {
    return fail(invalid([{ field: 'rows', reason: `need at least ${minRows}, got ${n}` }], `too little data: ${n} ${rows.unit} with a known outcome, need at least ${minRows}`));
  }
  const { positives, negatives } = countClasses(rows.labels);
  if (positives === 0 || negatives === 0) {
    const only = positives === 0 ? `none had the outcome (${rows.outcome})` : `every one had the outcome (${rows.outcome})`;
    return fail(invalid([{ field: 'labels', reason: positives === 0 ? 'only negative outcomes' : 'only positive outcomes' }], `a single class: of ${n} ${rows.unit}, ${only}; training needs both outcomes`));
  }
  if (Math.min(positives, negatives) < MIN_PER_CLASS) {
    const [which, count] = positives < negatives ? ['with', positives] : ['without', negatives];
    return fail(invalid([{ field: 'labels', reason: `need at least ${MIN_PER_CLASS} of each outcome` }], `too few of one class: ${count} of ${n} ${rows.unit} ${which} the outcome (${rows.outcome}), need at least ${MIN_PER_CLASS}`));
  }
  return ok(true);
}

async function loadRows(deps: TrainDeps, kind: ModelKind, now: Date, labelDays: number): Promise<TrainingRows> {
  if (kind === 'response') return loadResponseRows(deps.db, now, labelDays, deps.training.maxRows);
  return loadRiskRows(deps.db, now, deps.m2FromDay, deps.training.maxRows);
}

/** The champion to beat; one that no longer loads is logged and counts as no champion. */
async function currentChampion(deps: TrainDeps, kind: ModelKind) {
  const row = await championRow(deps.db, kind);
  if (!row) return { id: undefined, model: undefined };
  const loaded = loadModel(row);
  if (loaded.ok) return { id: row.id, model: loaded.value.gbm };
  deps.logger.warn({ kind, modelVersion: row.version, modelId: row.id, reason: loaded.error.message }, 'the champion model does not load; any valid challenger replaces it');
  return { id: row.id, model: undefined };
}

function promotionReason(metrics: CandidateMetrics, championId: string | undefined): { promote: boolean; reason: string } {
  if (championId === undefined) return { promote: true, reason: 'no champion yet' };
  if (metrics.championAuc === null) return { promote: true, reason: 'the champion could not score the hold-out' };
  if (metrics.auc > metrics.championAuc) return { promote: true, reason: `AUC ${metrics.auc} beats the champion's ${metrics.championAuc} on the same hold-out` };
  return { promote: false, reason: `AUC ${metrics.auc} does not beat the champion's ${metrics.championAuc} on the same hold-out` };
}

/**
 * Fits a new version of one model kind from the outcomes recorded in the database, stores it as
 * challenger, and promotes it to champion when there is none or when it scores better than the
 * champion on the same held-out rows. Bad data is an error value and stores nothing.
 */
export async function trainModel(deps: TrainDeps, kind: ModelKind, options: { labelDays?: number } = {}): Promise<Result<TrainReport>> {
  const now = deps.clock.now();
  const rows = await loadRows(deps, kind, now, options.labelDays ?? deps.training.labelDays);
  const trainable = checkRows(rows, deps.training.minRows);
  if (!trainable.ok) return trainable;
  const features = FEATURE_SETS[kind];
  const dataset = datasetFromRecords(rows.records, features);
  if (!dataset.ok) return fail({ ...dataset.error, message: `wrong feature types: ${dataset.error.message}` });
  const champion = await currentChampion(deps, kind);
  const fit = fitCandidate({ ...dataset.value, target: rows.labels }, deps.training.seed, champion.model);
  if (!fit.ok) return fit;
  const { metrics } = fit.value;
  const decision = promotionReason(metrics, champion.id);
  const stored = await storeVersion(deps.db, {
    kind,
    now,
    trainedFrom: rows.from,
    trainedTo: rows.to,
    rows: rows.labels.length,
    metrics: { ...metrics, labelDays: kind === 'response' ? (options.labelDays ?? deps.training.labelDays) : undefined, featureSet: features.id },
    model: modelDocument(features, fit.value.gbm, fit.value.logistic),
    promoteOver: decision.promote ? { championId: champion.id } : undefined,
  });
  const reason = decision.promote && !stored.promoted ? 'another process changed the champion meanwhile' : decision.reason;
  return ok({ kind, version: stored.row, rows: rows.labels.length, metrics, promoted: stored.promoted, reason });
}
