import { describe, expect, it } from 'vitest';
import { makeData, range } from '../../../test/support/model-data.js';
import { rocAuc } from './auc.js';
import { type GbmOptions, bagSeed, fitGbm, predictGbm, predictGbmRaw } from './gbm.js';
import { gbmFromJson, gbmToJson } from './model-json.js';
import type { TreeNode } from './tree.js';

// One tree, full step, no held-out rows, every feature, one bag: what the tree learns is visible in its nodes.
const PLAIN: Partial<GbmOptions> = { colsample: 1, bags: 1 };
const ONE_TREE: Partial<GbmOptions> = { ...PLAIN, maxIterations: 1, learningRate: 1, maxLeaves: 2, minSamplesLeaf: 1, l2: 0, validationFraction: 0 };

function fitted(data: Parameters<typeof fitGbm>[0], options: Partial<GbmOptions>) {
  const fit = fitGbm(data, options);
  if (!fit.ok) throw new Error(fit.error.message);
  return fit.value;
}

function predicted(model: ReturnType<typeof fitted>['model'], data: Parameters<typeof predictGbm>[1]) {
  const p = predictGbm(model, data);
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
}

const rootOf = (nodes: TreeNode[]) => nodes[0] as Exclude<TreeNode, { value: number }>;

describe('fitGbm on known small cases', () => {
  it('learns a step function exactly with one split at the midpoint', () => {
    const x = range(100);
    const data = makeData({ x }, x.map((v) => (v >= 50 ? 1 : 0)));
    const { model } = fitted(data, ONE_TREE);
    expect(model.trees).toHaveLength(1);
    const root = rootOf(model.trees[0]!);
    expect(root.feature).toBe(0);
    const feature = model.features[0]!;
    expect(feature.kind === 'numeric' && feature.thresholds[root.threshold!]).toBe(49.5);
    const p = predicted(model, data);
    x.forEach((v, i) => expect(p[i]! > 0.5).toBe(v >= 50));
  });

  it('needs depth 2 for XOR: stumps cannot rank it, two-level trees rank it perfectly', () => {
    // Slightly unequal cells so the first split has a (small) positive gain, as real data would.
    const cells = [[0, 0, 0, 30], [0, 1, 1, 20], [1, 0, 1, 25], [1, 1, 0, 25]] as const;
    const rows = cells.flatMap(([a, b, y, n]) => Array.from({ length: n }, () => [a, b, y] as const));
    const data = makeData({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) }, rows.map((r) => r[2]));
    const common: Partial<GbmOptions> = { ...PLAIN, maxIterations: 30, learningRate: 0.5, minSamplesLeaf: 5, validationFraction: 0 };
    const stumps = fitted(data, { ...common, maxDepth: 1 });
    const deep = fitted(data, { ...common, maxDepth: 2, maxLeaves: 4 });
    expect(rocAuc(predicted(stumps.model, data), data.target)).toBeLessThan(0.75);
    expect(rocAuc(predicted(deep.model, data), data.target)).toBe(1);
  });

  it.each([
    { missingLabel: 1, missingLeft: false },
    { missingLabel: 0, missingLeft: true },
  ])('sends missing values to the side learned from them (missing rows labelled $missingLabel)', ({ missingLabel, missingLeft }) => {
    const x = [...range(100), ...Array<number>(40).fill(Number.NaN)];
    const y = x.map((v) => (Number.isNaN(v) ? missingLabel : v >= 50 ? 1 : 0));
    const data = makeData({ x }, y);
    const { model } = fitted(data, ONE_TREE);
    const root = rootOf(model.trees[0]!);
    expect(root.missingLeft).toBe(missingLeft);
    const p = predicted(model, makeData({ x: [Number.NaN, 10, 90] }, [0, 0, 0]));
    expect(p[0]! > 0.5).toBe(missingLabel === 1);
    expect(p[1]!).toBeLessThan(0.5);
    expect(p[2]!).toBeGreaterThan(0.5);
  });

  it('splits a categorical feature whose categories separate the classes, in one split', () => {
    const levels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const positive = new Set(['b', 'd', 'f']);
    const city = range(120).map((i) => levels[i % 6]!);
    const data = makeData({ city }, city.map((c) => (positive.has(c) ? 1 : 0)));
    const { model } = fitted(data, ONE_TREE);
    const root = rootOf(model.trees[0]!);
    const feature = model.features[0]!;
    expect(feature.kind).toBe('categorical');
    const left = new Set(root.categories!.map((bin) => (feature.kind === 'categorical' ? feature.levels[bin] : '')));
    expect(left.size).toBe(3);
    expect([...left].every((c) => positive.has(c!)) || [...left].every((c) => !positive.has(c!))).toBe(true);
    expect(rocAuc(predicted(model, data), data.target)).toBe(1);
  });

  it('scores a category never seen in training like a missing value, without failing', () => {
    const data = makeData({ city: range(60).map((i) => (i % 2 ? 'x' : 'y')) }, range(60).map((i) => i % 2));
    const { model } = fitted(data, ONE_TREE);
    const p = predicted(model, makeData({ city: ['zzz', null] }, [0, 0]));
    expect(p[0]).toBe(p[1]);
  });
});

describe('GBM predictions and storage', () => {
  const x = range(400).map((i) => (i * 37) % 101);
  const z = range(400).map((i) => ['p', 'q', 'r'][i % 3]!);
  const y = x.map((v, i) => (v + (z[i] === 'q' ? 30 : 0) > 60 ? 1 : 0));
  const data = makeData({ x: x.map((v, i) => (i % 17 === 0 ? Number.NaN : v)), z }, y);

  it('gives probabilities strictly inside (0, 1), even when boosted hard on separable data', () => {
    const { model } = fitted(data, { maxIterations: 200, learningRate: 1, minSamplesLeaf: 1, l2: 0, validationFraction: 0 });
    const p = predicted(model, data);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('serialises to JSON and loads back to identical predictions', () => {
    const { model } = fitted(data, { maxIterations: 20 });
    const stored = JSON.parse(JSON.stringify(gbmToJson(model))) as unknown;
    const loaded = gbmFromJson(stored);
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(predicted(loaded.value, data)).toEqual(predicted(model, data));
  });

  it('scores columns given in another order by name', () => {
    const { model } = fitted(data, { maxIterations: 10 });
    const swapped = { ...data, columns: [...data.columns].reverse() };
    expect(predicted(model, swapped)).toEqual(predicted(model, data));
  });

  it('is deterministic: the same data and seed give the same trees', () => {
    const options = { maxIterations: 30, validationFraction: 0.2, seed: 3 };
    expect(gbmToJson(fitted(data, options).model)).toEqual(gbmToJson(fitted(data, options).model));
  });
});

const splitFeatures = (nodes: TreeNode[]) => new Set(nodes.flatMap((node) => ('value' in node ? [] : [node.feature])));

describe('GBM column subsampling and bagging', () => {
  // Four features that all matter, so a tree free to choose uses several of them.
  const n = 600;
  const cols = [0, 1, 2, 3].map((f) => range(n).map((i) => ((i + 1) * (7 + 6 * f)) % 97));
  const y = range(n).map((i) => (cols.reduce((sum, c) => sum + c[i]!, 0) + ((i * 13) % 41) > 214 ? 1 : 0));
  const data = makeData({ a: cols[0]!, b: cols[1]!, c: cols[2]!, d: cols[3]! }, y);
  const deep: Partial<GbmOptions> = { bags: 1, maxIterations: 20, maxLeaves: 8, minSamplesLeaf: 5, validationFraction: 0 };

  it('lets each tree split only on its own draw of round(colsample * features) features, redrawn per tree', () => {
    const all = fitted(data, { ...deep, colsample: 1 }).model.trees.map(splitFeatures);
    expect(all.some((used) => used.size > 2)).toBe(true);
    const half = fitted(data, { ...deep, colsample: 0.5 }).model.trees.map(splitFeatures);
    expect(half.every((used) => used.size <= 2)).toBe(true);
    expect(new Set(half.flatMap((used) => [...used])).size).toBe(4);
  });

  it('falls back to every feature when the drawn ones cannot split, instead of stopping early', () => {
    const x = range(200);
    const flat = makeData({ x, same: x.map(() => 1) }, x.map((v) => ((v * 7) % 10 < 4 ? 1 : 0)));
    const { model } = fitted(flat, { ...PLAIN, colsample: 0.5, maxIterations: 25, minSamplesLeaf: 5, validationFraction: 0 });
    expect(model.trees).toHaveLength(25);
  });

  it('averages the log-odds of one model per bag, each with its own seed and so its own validation slice', () => {
    const options: Partial<GbmOptions> = { colsample: 0.75, maxIterations: 200, validationFraction: 0.2, seed: 5 };
    const bagged = fitted(data, { ...options, bags: 3 });
    const members = [0, 1, 2].map((b) => fitted(data, { ...options, bags: 1, seed: bagSeed(5, b) }));
    expect(bagged.iterations).toBe(members.reduce((sum, m) => sum + m.iterations, 0));
    const raw = (model: typeof bagged.model) => {
      const r = predictGbmRaw(model, data);
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const memberRaw = members.map((m) => raw(m.model));
    expect(memberRaw[0]).not.toEqual(memberRaw[1]);
    raw(bagged.model).forEach((z, i) => expect(z).toBeCloseTo((memberRaw[0]![i]! + memberRaw[1]![i]! + memberRaw[2]![i]!) / 3, 10));
    expect(bagged.validationLoss).toBeCloseTo(members.reduce((sum, m) => sum + m.validationLoss!, 0) / 3, 12);
  });
});

describe('GBM bad input', () => {
  it('refuses a single class, saying so', () => {
    const fit = fitGbm(makeData({ x: range(100) }, range(100).map(() => 0)));
    expect(fit.ok).toBe(false);
    if (!fit.ok) expect(fit.error.message).toMatch(/single class.*negative/);
  });

  it('refuses too little data, with the minimum in the message', () => {
    const fit = fitGbm(makeData({ x: range(12) }, range(12).map((i) => i % 2)));
    expect(fit.ok).toBe(false);
    if (!fit.ok) expect(fit.error.message).toMatch(/too little data: need at least 40 rows to train, got 12/);
  });

  it('refuses mismatched lengths and bad options', () => {
    const data = makeData({ x: range(100) }, range(100).map((i) => i % 2));
    const short = { ...data, target: data.target.subarray(0, 50) };
    const a = fitGbm(short);
    expect(!a.ok && a.error.details[0]).toEqual({ field: 'target', reason: 'has 50 values for 100 rows' });
    const b = fitGbm(data, { learningRate: 0 });
    expect(!b.ok && b.error.details[0]?.field).toBe('learningRate');
    const c = fitGbm(data, { colsample: 0, bags: 1.5 });
    expect(!c.ok && c.error.details.map((d) => d.field)).toEqual(['colsample', 'bags']);
  });

  it('names missing columns and columns of the wrong type at prediction', () => {
    const data = makeData({ x: range(100), c: range(100).map((i) => (i % 2 ? 'u' : 'v')) }, range(100).map((i) => i % 2));
    const { model } = fitted(data, { maxIterations: 3 });
    const missing = predictGbm(model, makeData({ y: [1] }, [0]));
    expect(!missing.ok && missing.error.message).toBe('missing columns: "x", "c"');
    const wrong = predictGbm(model, makeData({ x: ['high'], c: ['u'] }, [0]));
    expect(!wrong.ok && wrong.error.message).toMatch(/x must be numeric, got categorical/);
  });
});
