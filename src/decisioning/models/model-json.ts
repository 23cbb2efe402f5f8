import Type, { type Static } from 'typebox';
import { type FieldError, type Result, fail, invalid, ok } from '../../core/errors.js';
import { schemaErrors } from '../../core/validate.js';
import { MAX_VALUE_BINS, MISSING_BIN, valueBinCount } from './bins.js';
import type { GbmModel } from './gbm.js';
import type { LogisticModel } from './logistic.js';
import { compileTree } from './tree.js';

/**
 * Models as plain JSON, so that a fitted version can be stored (e.g. in a jsonb column) and loaded
 * later. Loading checks shape and meaning: a model that fails to load is an error value, never a
 * crash at prediction time.
 */
export const GBM_FORMAT = 'recoup.gbm';
export const LOGISTIC_FORMAT = 'recoup.logistic';
export const MODEL_VERSION = 1;

const Finite = Type.Number();
const Index = Type.Integer({ minimum: 0 });
const FeatureBinsSchema = Type.Union([
  Type.Object({ name: Type.String(), kind: Type.Literal('numeric'), thresholds: Type.Array(Finite, { maxItems: MAX_VALUE_BINS - 1 }) }, { additionalProperties: false }),
  Type.Object({ name: Type.String(), kind: Type.Literal('categorical'), levels: Type.Array(Type.String(), { maxItems: MAX_VALUE_BINS }) }, { additionalProperties: false }),
]);
const TreeNodeSchema = Type.Union([
  Type.Object({ value: Finite }, { additionalProperties: false }),
  Type.Object(
    {
      feature: Index,
      threshold: Type.Optional(Index),
      categories: Type.Optional(Type.Array(Index)),
      missingLeft: Type.Boolean(),
      left: Index,
      right: Index,
    },
    { additionalProperties: false },
  ),
]);
const StoredGbmSchema = Type.Object({
  format: Type.Literal(GBM_FORMAT),
  version: Type.Literal(MODEL_VERSION),
  baseScore: Finite,
  features: Type.Array(FeatureBinsSchema, { minItems: 1 }),
  trees: Type.Array(Type.Array(TreeNodeSchema, { minItems: 1 })),
});
export type StoredGbm = Static<typeof StoredGbmSchema>;

const LinearFeatureSchema = Type.Union([
  Type.Object({ name: Type.String(), kind: Type.Literal('numeric'), mean: Finite, std: Type.Number({ exclusiveMinimum: 0 }), weight: Finite, missingWeight: Finite, hasMissing: Type.Boolean() }, { additionalProperties: false }),
  Type.Object({ name: Type.String(), kind: Type.Literal('categorical'), levels: Type.Array(Type.String()), weights: Type.Array(Finite), missingWeight: Finite, hasMissing: Type.Boolean() }, { additionalProperties: false }),
]);
const StoredLogisticSchema = Type.Object({
  format: Type.Literal(LOGISTIC_FORMAT),
  version: Type.Literal(MODEL_VERSION),
  intercept: Finite,
  features: Type.Array(LinearFeatureSchema, { minItems: 1 }),
});
export type StoredLogistic = Static<typeof StoredLogisticSchema>;

export function gbmToJson(model: GbmModel): StoredGbm {
  return { format: GBM_FORMAT, version: MODEL_VERSION, baseScore: model.baseScore, features: model.features, trees: model.trees };
}

export function logisticToJson(model: LogisticModel): StoredLogistic {
  return { format: LOGISTIC_FORMAT, version: MODEL_VERSION, intercept: model.intercept, features: model.features };
}

/** What the schema cannot say: children after their parent, features and bins that exist. */
function treeErrors(stored: StoredGbm): FieldError[] {
  const errors: FieldError[] = [];
  stored.features.forEach((feature, f) => {
    if (feature.kind === 'numeric' && feature.thresholds.some((t, i) => i > 0 && !(t > feature.thresholds[i - 1]!))) {
      errors.push({ field: `features[${f}].thresholds`, reason: 'must be strictly increasing' });
    }
  });
  stored.trees.forEach((nodes, t) => {
    nodes.forEach((node, i) => {
      if ('value' in node) return;
      const field = `trees[${t}][${i}]`;
      const feature = stored.features[node.feature];
      if (!feature) return void errors.push({ field, reason: `feature ${node.feature} does not exist` });
      if (!(node.left > i && node.right > i && node.left < nodes.length && node.right < nodes.length && node.left !== node.right)) {
        errors.push({ field, reason: 'children must be distinct nodes after their parent' });
      }
      const numeric = feature.kind === 'numeric';
      if (numeric !== (node.threshold !== undefined) || numeric === (node.categories !== undefined)) {
        errors.push({ field, reason: `a split on ${feature.kind} feature ${JSON.stringify(feature.name)} needs ${numeric ? 'a threshold' : 'categories'} only` });
      }
      const bins = valueBinCount(feature);
      if ((node.threshold ?? 0) >= bins || (node.categories ?? []).some((c) => c >= bins || c === MISSING_BIN)) {
        errors.push({ field, reason: `bin out of range for feature ${JSON.stringify(feature.name)}` });
      }
    });
  });
  return errors;
}

function refuse<T>(what: string, details: FieldError[]): Result<T> {
  return fail(invalid(details.slice(0, 10), `not a valid ${what} model: ${details.slice(0, 3).map((d) => `${d.field || '(model)'} ${d.reason}`).join('; ')}`));
}

export function gbmFromJson(value: unknown): Result<GbmModel> {
  // TypeBox's number refuses NaN and Infinity too: a value built in code cannot smuggle one in.
  const shape = schemaErrors(StoredGbmSchema, value);
  if (shape.length > 0) return refuse('gradient-boosting', shape);
  const stored = value as StoredGbm;
  const meaning = treeErrors(stored);
  if (meaning.length > 0) return refuse('gradient-boosting', meaning);
  const trees = structuredClone(stored.trees);
  return ok({ kind: 'gbm', baseScore: stored.baseScore, features: structuredClone(stored.features), trees, compiled: trees.map(compileTree) });
}

export function logisticFromJson(value: unknown): Result<LogisticModel> {
  const shape = schemaErrors(StoredLogisticSchema, value);
  if (shape.length > 0) return refuse('logistic', shape);
  const stored = value as StoredLogistic;
  const mismatched = stored.features.flatMap((f, i) =>
    f.kind === 'categorical' && f.weights.length !== f.levels.length ? [{ field: `features[${i}].weights`, reason: `has ${f.weights.length} weights for ${f.levels.length} levels` }] : [],
  );
  if (mismatched.length > 0) return refuse('logistic', mismatched);
  return ok({ kind: 'logistic', intercept: stored.intercept, features: structuredClone(stored.features) });
}
