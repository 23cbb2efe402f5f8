import { type Result, fail, invalid, ok } from '../../core/errors.js';
import { type FeatureBins, applyBins, fitBins } from './bins.js';
import { type LabelledDataset, type Dataset, checkTrainable, countClasses, selectRows } from './dataset.js';
import { createHistogramPool } from './histogram.js';
import { stratifiedSplit } from './split.js';
import { type CompiledTree, type TreeNode, addTreeOutput, compileTree } from './tree.js';
import { type GrowParams, createGrowContext, growTree } from './tree-grower.js';
import { alignColumns } from './align.js';
import { type Random, createRandom } from '../../simulation/random.js';

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
  /**
   * Share of the features each tree may split on, drawn afresh per tree (LightGBM's feature_fraction,
   * XGBoost's colsample_bytree); 1 uses all. Decorrelates the trees so that one strong feature does
   * not take every split.
   */
  colsample: number;
  /**
   * Number of boosted models averaged (in log-odds). Each has its own validation slice, hence its own
   * stopping point, and its own feature draws: averaging them removes much of the noise of both.
   */
  bags: number;
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
  // Chosen by 5-fold CV (x2) inside the training part of both eval files, not on their test rows (see
  // bench/results/eval-response.json "tuning"): colsample 0.7 gained +0.0012/+0.0016 AUC (response/
  // risk) and fits faster. Three bags on top gained about +0.001 more at three times the fit time;
  // training runs in the serving process, so one bag is the default.
  colsample: 0.7,
  bags: 1,
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
  if (!(options.colsample > 0 && options.colsample <= 1)) problems.push({ field: 'colsample', reason: `must be in (0, 1], got ${options.colsample}` });
  if (!(Number.isInteger(options.bags) && options.bags >= 1)) problems.push({ field: 'bags', reason: `must be an integer >= 1, got ${options.bags}` });
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
  const fits: GbmFit[] = [];
  for (let b = 0; b < options.bags; b++) {
    const bag = { ...options, seed: bagSeed(options.seed, b) };
    const parts = holdOut(data, bag);
    fits.push(boost(parts.train, parts.valid, features, bag));
  }
  if (fits.length === 1) return ok(fits[0]!);
  const losses = fits.map((fit) => fit.validationLoss);
  const validationLoss = losses.every((loss) => loss !== undefined) ? losses.reduce((sum, loss) => sum + loss, 0) / losses.length : undefined;
  const model = averageModels(fits.map((fit) => fit.model));
  return ok({ model, iterations: model.trees.length, validationLoss });
}

/** The seed of bag b: bag 0 keeps the caller's seed, so `bags: 1` is exactly one plain fit. */
export function bagSeed(seed: number, bag: number): number {
  return (seed + 7919 * bag) >>> 0;
}

/**
 * One model whose log-odds are the mean of the given models' (same binning): the base scores are
 * averaged and every leaf is divided by the model count, so the stored form stays a plain sum of trees.
 */
export function averageModels(models: GbmModel[]): GbmModel {
  const scale = 1 / models.length;
  const trees = models.flatMap((m) => m.trees).map((nodes) => nodes.map((node): TreeNode => ('value' in node ? { value: node.value * scale } : node)));
  const baseScore = models.reduce((sum, m) => sum + m.baseScore, 0) * scale;
  return { kind: 'gbm', features: models[0]!.features, baseScore, trees, compiled: trees.map(compileTree) };
}

/** Marks a fresh random `round(colsample * n)` (at least one) of the n features as usable. */
function drawFeatures(active: Uint8Array, order: number[], colsample: number, random: Random): void {
  const n = active.length;
  const k = Math.max(1, Math.round(colsample * n));
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random.next() * (n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  active.fill(0);
  for (let i = 0; i < k; i++) active[order[i]!] = 1;
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
  const random = createRandom(options.seed ^ 0x5bd1e995);
  const order = features.map((_, f) => f);
  if (options.colsample < 1) ctx.active = new Uint8Array(features.length);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (ctx.active) drawFeatures(ctx.active, order, options.colsample, random);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]!);
      grad[i] = p - train.target[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
    let grown = growTree(ctx, n, grad, hess, params);
    if (grown.nodes.length === 1 && ctx.active) {
      // The drawn features may have nothing left to give while others still do: ask all of them.
      const drawn = ctx.active;
      ctx.active = undefined;
      grown = growTree(ctx, n, grad, hess, params);
      ctx.active = drawn;
    }
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
