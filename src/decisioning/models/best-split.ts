import { type FeatureBins, BINS_PER_FEATURE, MISSING_BIN, valueBinCount } from './bins.js';
import { FEATURE_STRIDE, HIST_STRIDE } from './histogram.js';

export interface SplitParams {
  l2: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  /** Added to the hessian when categories are ordered by gradient/hessian, so rare ones do not jump the queue. */
  catSmooth: number;
  minGain: number;
}

export interface Sums {
  g: number;
  h: number;
  n: number;
}

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: value bins <= threshold go left. -1 for a categorical split. */
  threshold: number;
  /** Categorical: the value bins that go left. */
  categories: number[];
  missingLeft: boolean;
  left: Sums;
  right: Sums;
}

const score = (g: number, h: number, l2: number) => (g * g) / (h + l2);

interface Scan {
  best: SplitCandidate | undefined;
  parentScore: number;
  total: Sums;
  params: SplitParams;
}

/** Keeps the candidate if both sides are big enough and it beats the best so far; `make` runs only then. */
function consider(scan: Scan, feature: number, gl: number, hl: number, nl: number, make: () => Omit<SplitCandidate, 'gain' | 'feature' | 'left' | 'right'>): void {
  const { total, params } = scan;
  const nr = total.n - nl;
  const hr = total.h - hl;
  if (nl < params.minSamplesLeaf || nr < params.minSamplesLeaf) return;
  if (hl < params.minHessianLeaf || hr < params.minHessianLeaf) return;
  const gr = total.g - gl;
  const gain = score(gl, hl, params.l2) + score(gr, hr, params.l2) - scan.parentScore;
  if (gain <= params.minGain || (scan.best && gain <= scan.best.gain)) return;
  scan.best = { gain, feature, ...make(), left: { g: gl, h: hl, n: nl }, right: { g: gr, h: hr, n: nr } };
}

/**
 * Ordered bins: try "missing goes right" and "missing goes left" at every threshold, so the direction
 * of missing values is learned per split. With no missing rows here, missing follows the bigger side.
 */
function scanNumeric(scan: Scan, hist: Float64Array, f: number, bins: number): void {
  const base = f * FEATURE_STRIDE;
  const m = base + MISSING_BIN * HIST_STRIDE;
  const gm = hist[m]!;
  const hm = hist[m + 1]!;
  const nm = hist[m + 2]!;
  for (const missingLeft of nm > 0 ? [false, true] : [false]) {
    let gl = missingLeft ? gm : 0;
    let hl = missingLeft ? hm : 0;
    let nl = missingLeft ? nm : 0;
    // With missing rows going right, "every value left" is a split too: present versus missing.
    const lastThreshold = missingLeft || nm === 0 ? bins - 2 : bins - 1;
    for (let b = 0; b <= lastThreshold; b++) {
      const at = base + b * HIST_STRIDE;
      gl += hist[at]!;
      hl += hist[at + 1]!;
      nl += hist[at + 2]!;
      if (hist[at + 2] === 0) continue;
      const threshold = b;
      const leftCount = nl;
      consider(scan, f, gl, hl, nl, () => ({ threshold, categories: [], missingLeft: nm > 0 ? missingLeft : leftCount >= scan.total.n - leftCount }));
    }
  }
}

/**
 * Categories (the missing bin among them when present) sorted by gradient/hessian ratio, then
 * split as if ordered: the best prefix is the best two-way grouping for a convex loss (Fisher 1958,
 * as in LightGBM and scikit-learn), found in linear time instead of trying 2^k subsets.
 */
function scanCategorical(scan: Scan, hist: Float64Array, f: number, bins: number): void {
  const base = f * FEATURE_STRIDE;
  const present: number[] = [];
  for (let b = 0; b < bins; b++) if (hist[base + b * HIST_STRIDE + 2]! > 0) present.push(b);
  if (hist[base + MISSING_BIN * HIST_STRIDE + 2]! > 0) present.push(MISSING_BIN);
  if (present.length < 2) return;
  const ratio = (b: number) => hist[base + b * HIST_STRIDE]! / (hist[base + b * HIST_STRIDE + 1]! + scan.params.catSmooth);
  present.sort((a, b) => ratio(a) - ratio(b) || a - b);
  let gl = 0;
  let hl = 0;
  let nl = 0;
  for (let k = 0; k + 1 < present.length; k++) {
    const at = base + present[k]! * HIST_STRIDE;
    gl += hist[at]!;
    hl += hist[at + 1]!;
    nl += hist[at + 2]!;
    const prefix = k + 1;
    const leftCount = nl;
    consider(scan, f, gl, hl, nl, () => {
      const left = present.slice(0, prefix);
      const missingSeen = present.includes(MISSING_BIN);
      return {
        threshold: -1,
        categories: left.filter((b) => b !== MISSING_BIN).sort((a, b) => a - b),
        missingLeft: missingSeen ? left.includes(MISSING_BIN) : leftCount >= scan.total.n - leftCount,
      };
    });
  }
}

/** The split of a node with the highest gain over the active features (all when unset), or undefined when none pays. */
export function findBestSplit(hist: Float64Array, features: FeatureBins[], total: Sums, params: SplitParams, active?: Uint8Array): SplitCandidate | undefined {
  if (total.n < 2 * params.minSamplesLeaf) return undefined;
  const scan: Scan = { best: undefined, parentScore: score(total.g, total.h, params.l2), total, params };
  for (let f = 0; f < features.length; f++) {
    if (active && !active[f]) continue;
    const feature = features[f]!;
    const bins = Math.min(valueBinCount(feature), BINS_PER_FEATURE - 1);
    if (feature.kind === 'numeric') scanNumeric(scan, hist, f, bins);
    else scanCategorical(scan, hist, f, bins);
  }
  return scan.best;
}
