import type { FeatureBins } from './bins.js';
import { type SplitCandidate, type SplitParams, type Sums, findBestSplit } from './best-split.js';
import { type HistogramPool, buildHistogram, subtractHistogram } from './histogram.js';
import { type TreeNode, goesLeftTable } from './tree.js';

export interface GrowParams extends SplitParams {
  maxLeaves: number;
  /** 0: no limit; the leaf count bounds the tree. */
  maxDepth: number;
  learningRate: number;
}

/** What stays the same across the trees of one fit: the binned training rows and reusable buffers. */
export interface GrowContext {
  columns: Uint8Array[];
  features: FeatureBins[];
  pool: HistogramPool;
  /** Row indices, permuted in place so that every leaf owns one contiguous range. */
  rows: Uint32Array;
  scratch: { g: Float64Array; h: Float64Array; rows: Uint32Array };
  /** Features the current tree may split on (column subsampling); undefined: all of them. */
  active: Uint8Array | undefined;
}

export function createGrowContext(columns: Uint8Array[], features: FeatureBins[], pool: HistogramPool, rowCount: number): GrowContext {
  return {
    columns,
    features,
    pool,
    rows: new Uint32Array(rowCount),
    scratch: { g: new Float64Array(rowCount), h: new Float64Array(rowCount), rows: new Uint32Array(rowCount) },
    active: undefined,
  };
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sums: Sums;
  hist: Float64Array;
  split: SplitCandidate | undefined;
}

/** Stable partition of rows[start..end) by the split: left rows first. Returns where the right part starts. */
function partition(ctx: GrowContext, leaf: OpenLeaf, split: SplitCandidate): number {
  const table = goesLeftTable({ feature: split.feature, missingLeft: split.missingLeft, left: 0, right: 0, ...splitShape(split) });
  const column = ctx.columns[split.feature]!;
  const { rows } = ctx;
  const spill = ctx.scratch.rows;
  let write = leaf.start;
  let spilled = 0;
  for (let i = leaf.start; i < leaf.end; i++) {
    const r = rows[i]!;
    if (table[column[r]!]) rows[write++] = r;
    else spill[spilled++] = r;
  }
  rows.set(spill.subarray(0, spilled), write);
  return write;
}

function splitShape(split: SplitCandidate): { threshold: number } | { categories: number[] } {
  return split.threshold >= 0 ? { threshold: split.threshold } : { categories: split.categories };
}

function canSplit(params: GrowParams, depth: number): boolean {
  return params.maxDepth <= 0 || depth < params.maxDepth;
}

function bestOpenLeaf(leaves: OpenLeaf[]): number {
  let best = -1;
  for (let i = 0; i < leaves.length; i++) {
    const gain = leaves[i]!.split?.gain;
    if (gain !== undefined && (best < 0 || gain > leaves[best]!.split!.gain)) best = i;
  }
  return best;
}

/** Splits one open leaf into two, building the smaller child's histogram and deriving the larger's. */
function splitLeaf(ctx: GrowContext, nodes: TreeNode[], leaf: OpenLeaf, grad: Float64Array, hess: Float64Array, params: GrowParams): [OpenLeaf, OpenLeaf] {
  const split = leaf.split!;
  const middle = partition(ctx, leaf, split);
  const leftId = nodes.length;
  nodes.push({ value: 0 }, { value: 0 });
  nodes[leaf.node] = { feature: split.feature, missingLeft: split.missingLeft, left: leftId, right: leftId + 1, ...splitShape(split) };
  const depth = leaf.depth + 1;
  const left: OpenLeaf = { node: leftId, start: leaf.start, end: middle, depth, sums: split.left, hist: leaf.hist, split: undefined };
  const right: OpenLeaf = { node: leftId + 1, start: middle, end: leaf.end, depth, sums: split.right, hist: leaf.hist, split: undefined };
  const [small, large] = middle - leaf.start <= leaf.end - middle ? [left, right] : [right, left];
  small.hist = ctx.pool.take();
  buildHistogram(small.hist, ctx.columns, ctx.rows, small.start, small.end, grad, hess, ctx.scratch, ctx.active);
  subtractHistogram(large.hist, small.hist);
  for (const child of [left, right]) {
    if (canSplit(params, depth)) child.split = findBestSplit(child.hist, ctx.features, child.sums, params, ctx.active);
  }
  return [left, right];
}

export interface GrownTree {
  nodes: TreeNode[];
  /** Leaf outputs, with the rows of ctx.rows each one covers, so training scores update without a walk. */
  leaves: { start: number; end: number; value: number }[];
}

/**
 * Grows one tree best-first (the leaf with the highest gain splits next, as LightGBM and
 * scikit-learn's HistGradientBoosting do) until `maxLeaves` or no split pays. Leaf values are
 * Newton steps, -G / (H + l2), shrunk by the learning rate. Only the features in `ctx.active` (all
 * when unset) get histograms and split candidates.
 */
export function growTree(ctx: GrowContext, rowCount: number, grad: Float64Array, hess: Float64Array, params: GrowParams): GrownTree {
  for (let i = 0; i < rowCount; i++) ctx.rows[i] = i;
  const rootHist = ctx.pool.take();
  buildHistogram(rootHist, ctx.columns, ctx.rows, 0, rowCount, grad, hess, ctx.scratch, ctx.active);
  const sums: Sums = { g: 0, h: 0, n: rowCount };
  for (let i = 0; i < rowCount; i++) {
    sums.g += grad[i]!;
    sums.h += hess[i]!;
  }
  const nodes: TreeNode[] = [{ value: 0 }];
  const root: OpenLeaf = { node: 0, start: 0, end: rowCount, depth: 0, sums, hist: rootHist, split: undefined };
  if (canSplit(params, 0)) root.split = findBestSplit(rootHist, ctx.features, sums, params, ctx.active);
  const open: OpenLeaf[] = [root];
  while (open.length < params.maxLeaves) {
    const at = bestOpenLeaf(open);
    if (at < 0) break;
    open.splice(at, 1, ...splitLeaf(ctx, nodes, open[at]!, grad, hess, params));
  }
  const leaves = open.map((leaf) => {
    ctx.pool.give(leaf.hist);
    const value = (-params.learningRate * leaf.sums.g) / (leaf.sums.h + params.l2);
    nodes[leaf.node] = { value };
    return { start: leaf.start, end: leaf.end, value };
  });
  return { nodes, leaves };
}
