import { type FieldError, type Result, fail, invalid, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { ModelKind } from '../db/schema.js';
import { predictGbm } from './models/index.js';
import { type FeatureRecord, datasetFromRecords } from './training/feature-table.js';
import { type LoadedModel, championIds, championRow, loadModel } from './training/model-versions.js';

export interface Prediction {
  /** Probability of the kind's outcome: paid within the label window (response), rolled into M2 (risk). */
  probability: number;
  modelId: string;
  version: number;
}

/** The champion model of each kind, in memory, for the planner to score with. */
export interface ModelStore {
  /** Adopts each kind's current champion; one that fails to load is logged and the previous one keeps serving. */
  refresh(): Promise<void>;
  serving(kind: ModelKind): { id: string; version: number } | undefined;
  predict(kind: ModelKind, features: FeatureRecord): Result<Prediction>;
  predictMany(kind: ModelKind, features: readonly FeatureRecord[]): Result<{ probabilities: Float64Array; modelId: string; version: number }>;
}

export interface ModelStoreDeps {
  db: Db;
  logger: { warn(details: object, message: string): void };
}

/** Every feature the model was trained on must be named, even if null: a silently absent one would score as missing. */
function missingFeatures(model: LoadedModel, records: readonly FeatureRecord[]): FieldError[] {
  const names = model.features.columns.map((c) => c.name);
  const missing = new Set<string>();
  for (const record of records) for (const name of names) if (!(name in record)) missing.add(name);
  return [...missing].map((field) => ({ field, reason: 'feature is missing (give null when it is unknown)' }));
}

export function createModelStore(deps: ModelStoreDeps): ModelStore {
  const serving = new Map<ModelKind, LoadedModel>();
  // A version that failed once is not fetched and logged again on every refresh.
  const refused = new Set<string>();

  async function adopt(kind: ModelKind, id: string): Promise<void> {
    if (serving.get(kind)?.id === id || refused.has(id)) return;
    const row = await championRow(deps.db, kind);
    if (!row || row.id !== id) return; // promoted again meanwhile: the next refresh sees the newer one
    const loaded = loadModel(row);
    if (loaded.ok) {
      serving.set(kind, loaded.value);
      return;
    }
    refused.add(id);
    const previous = serving.get(kind);
    // The reason names fields of the model document (paths, counts), never anything about a debtor.
    deps.logger.warn(
      { kind, modelId: row.id, modelVersion: row.version, reason: loaded.error.message, servingVersion: previous?.version ?? null },
      previous ? 'a stored model failed to load; the previous version keeps serving' : 'a stored model failed to load; no model of this kind is serving',
    );
  }

  function predictMany(kind: ModelKind, records: readonly FeatureRecord[]) {
    const model = serving.get(kind);
    if (!model) {
      return fail<{ probabilities: Float64Array; modelId: string; version: number }>({
        type: 'not_found',
        message: `no ${kind} model is in force; run \`recoup train --kind ${kind}\` once outcomes are recorded`,
        details: [{ field: 'kind', reason: `no champion ${kind} model` }],
      });
    }
    const missing = missingFeatures(model, records);
    if (missing.length > 0) return fail(invalid(missing, `missing features: ${missing.map((m) => JSON.stringify(m.field)).join(', ')}`));
    const data = datasetFromRecords(records, model.features);
    if (!data.ok) return data;
    const scores = predictGbm(model.gbm, data.value);
    if (!scores.ok) return scores;
    return ok({ probabilities: scores.value, modelId: model.id, version: model.version });
  }

  return {
    async refresh() {
      const ids = await championIds(deps.db);
      for (const [kind, id] of ids) await adopt(kind, id);
    },
    serving(kind) {
      const model = serving.get(kind);
      return model ? { id: model.id, version: model.version } : undefined;
    },
    predictMany,
    predict(kind, features) {
      const scored = predictMany(kind, [features]);
      if (!scored.ok) return scored;
      return ok({ probability: scored.value.probabilities[0]!, modelId: scored.value.modelId, version: scored.value.version });
    },
  };
}
