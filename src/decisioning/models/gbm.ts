import { type Result, fail, invalid, ok } from '../../core/errors.js';
import { type FeatureBins, applyBins, fitBins } from './bins.js';
import { type LabelledDataset, type Dataset, checkTrainable, countClasses, selectRows } from './dataset.js';
import { createHistogramPool } from './histogram.js';
import { stratifiedSplit } from './split.js';
import { type CompiledTree, type TreeNode, addTreeOutput, compileTree } from './tree.js';
import { type GrowParams, createGrowContext, growTree } from './tree-grower.js';
import { alignColumns } from './align.js';

export interface GbmOptions {
  learningRate: number;
  maxIterations: number;
  maxLeaves: number;
  /** 0: no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
  catSmooth: number;
  /** Share of the training rows held out to decide when to stop; 0 turns early stopping off. */
  validationFraction: number;
  /** Stop after this many rounds without a better validation log loss. */
  patience: number;
  seed: number;
}

export const DEFAULT_GBM_OPTIONS: GbmOptions = {
  learningRate: 0.05,
  maxIterations: 500,
  maxLeaves: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
  l2: 1,
  maxBins: 255,
  catSmooth: 10,
  validationFraction: 0.1,
  patience: 30,
  seed: 42,
};

/** A fitted model: the binning it was trained with, the starting log-odds and the trees. */
export interface GbmModel {
  kind: 'gbm';
  features: FeatureBins[];
  baseScore: number;
  trees: TreeNode[][];
  /** Derived from `trees` for prediction; not stored. */
  compiled: CompiledTree[];
}

export interface GbmFit {
  model: GbmModel;
  iterations: number;
  validationLoss: number | undefined;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logLoss(raw: Float64Array, target: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i]!;
    // log(1 + e^z) - y z, written so that neither branch overflows.
    sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - target[i]! * z;
  }
  return sum / raw.length;
}

function validateOptions(options: GbmOptions): Result<true> {
  const problems: { field: string; reason: string }[] = [];
  const positive = (field: keyof GbmOptions) => {
    if (!(options[field] > 0)) problems.push({ field, reason: `must be > 0, got ${options[field]}` });
  };
  (['learningRate', 'maxIterations', 'minSamplesLeaf', 'patience'] as const).forEach(positive);
  if (!(options.maxLeaves >= 2)) problems.push({ field: 'maxLeaves', reason: `must be >= 2, got ${options.maxLeaves}` });
  if (!(options.l2 >= 0)) problems.push({ field: 'l2', reason: `must be >= 0, got ${options.l2}` });
  if (!(options.validationFraction >= 0 && options.validationFraction < 0.5)) problems.push({ field: 'validationFraction', reason: 'must be in [0, 0.5)' });
  return problems.length === 0 ? ok(true) : fail(invalid(problems));
}

/** The rows trained on and the rows that decide when to stop; never the caller's test rows. */
function holdOut(data: LabelledDataset, options: GbmOptions): { train: LabelledDataset; valid: LabelledDataset | undefined } {
  const { positives, negatives } = countClasses(data.target);
  const heldPerClass = Math.min(positives, negatives) * options.validationFraction;
  // Too few held-out rows of the rarer class make the stopping point noise: train on everything then.
  if (options.validationFraction === 0 || heldPerClass < 20) return { train: data, valid: undefined };
  const split = stratifiedSplit(data.target, options.validationFraction, options.seed);
  return { train: selectRows(data, split.train), valid: selectRows(data, split.test) };
}

export function minimumGbmRows(options: GbmOptions): number {
  return Math.max(10, 2 * options.minSamplesLeaf);
}

/** Fits a gradient-boosted tree classifier (log-loss) on the data; expected failures come back as values. */
export function fitGbm(data: LabelledDataset, overrides: Partial<GbmOptions> = {}): Result<GbmFit> {
  const options = { ...DEFAULT_GBM_OPTIONS, ...overrides };
  const valid = validateOptions(options);
  if (!valid.ok) return valid;
  const trainable = checkTrainable(data, minimumGbmRows(options));
  if (!trainable.ok) return trainable;
  const features = fitBins(data, options.maxBins);
  const parts = holdOut(data, options);
  return ok(boost(parts.train, parts.valid, features, options));
}

function boost(train: LabelledDataset, valid: LabelledDataset | undefined, features: FeatureBins[], options: GbmOptions): GbmFit {
  const n = train.rows;
  const columns = applyBins(train, features);
  const validColumns = valid ? applyBins(valid, features) : undefined;
  const { positives } = countClasses(train.target);
  const baseScore = Math.log(positives / (n - positives));
  const raw = new Float64Array(n).fill(baseScore);
  const validRaw = valid ? new Float64Array(valid.rows).fill(baseScore) : undefined;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const ctx = createGrowContext(columns, features, createHistogramPool(features.length), n);
  const params: GrowParams = { ...options, minHessianLeaf: 1e-3, minGain: 1e-7 };
  const trees: TreeNode[][] = [];
  const compiled: CompiledTree[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, trees: 0 };
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]!);
      grad[i] = p - train.target[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    const grown = growTree(ctx, n, grad, hess, params);
    if (grown.nodes.length === 1) break; // nothing left to learn: a single leaf would repeat forever
    for (const leaf of grown.leaves) {
      for (let i = leaf.start; i < leaf.end; i++) {
        const r = ctx.rows[i]!;
        raw[r] = raw[r]! + leaf.value;
      }
    }
    trees.push(grown.nodes);
    compiled.push(compileTree(grown.nodes));
    if (!valid || !validColumns || !validRaw) continue;
    addTreeOutput(compiled[compiled.length - 1]!, validColumns, validRaw);
    const loss = logLoss(validRaw, valid.target);
    if (loss < best.loss - 1e-7) best = { loss, trees: trees.length };
    else if (trees.length - best.trees >= options.patience) break;
  }
  // The trees after the best validation round only fitted noise: they are dropped.
  const kept = valid ? best.trees : trees.length;
  const model: GbmModel = { kind: 'gbm', features, baseScore, trees: trees.slice(0, kept), compiled: compiled.slice(0, kept) };
  return { model, iterations: kept, validationLoss: valid ? best.loss : undefined };
}

/** Log-odds per row; the data's columns are matched to the model's features by name and kind. */
export function predictGbmRaw(model: GbmModel, data: Dataset): Result<Float64Array> {
  const aligned = alignColumns(data, model.features);
  if (!aligned.ok) return aligned;
  const columns = applyBins(aligned.value, model.features);
  const raw = new Float64Array(data.rows).fill(model.baseScore);
  for (const tree of model.compiled) addTreeOutput(tree, columns, raw);
  return ok(raw);
}

/** Probability of the positive outcome per row, in (0, 1). */
export function predictGbm(model: GbmModel, data: Dataset): Result<Float64Array> {
  const raw = predictGbmRaw(model, data);
  if (!raw.ok) return raw;
  // Clamped so that a very confident model still answers strictly inside (0, 1), as a probability should.
  return ok(raw.value.map((z) => Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(z)))));
}
