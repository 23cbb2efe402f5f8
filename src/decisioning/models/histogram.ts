import { BINS_PER_FEATURE } from './bins.js';

/** Per bin: sum of gradients, sum of hessians, row count, side by side in one Float64Array. */
export const HIST_STRIDE = 3;
export const FEATURE_STRIDE = BINS_PER_FEATURE * HIST_STRIDE;

/**
 * Histograms are the biggest allocation of a fit (one per open leaf, per tree); they are recycled
 * through this pool instead of being left to the collector every iteration.
 */
export function createHistogramPool(features: number) {
  const free: Float64Array[] = [];
  return {
    take(): Float64Array {
      return free.pop() ?? new Float64Array(features * FEATURE_STRIDE);
    },
    give(hist: Float64Array): void {
      free.push(hist);
    },
  };
}
export type HistogramPool = ReturnType<typeof createHistogramPool>;

/**
 * Sums gradient, hessian and count per bin per feature over rows[start..end). The node's gradients
 * are gathered once into contiguous buffers so that the per-feature passes read memory in order.
 * Features with `active[f] === 0` are skipped.
 */
export function buildHistogram(
  hist: Float64Array,
  columns: Uint8Array[],
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  scratch: { g: Float64Array; h: Float64Array },
  active?: Uint8Array,
): void {
  hist.fill(0);
  const n = end - start;
  const g = scratch.g;
  const h = scratch.h;
  for (let i = 0; i < n; i++) {
    const r = rows[start + i]!;
    g[i] = grad[r]!;
    h[i] = hess[r]!;
  }
  for (let f = 0; f < columns.length; f++) {
    // A feature the tree may not split on needs no histogram: its bins stay zero here and in every
    // histogram derived from this one by subtraction, since one tree uses one set throughout.
    if (active && !active[f]) continue;
    const column = columns[f]!;
    const base = f * FEATURE_STRIDE;
    for (let i = 0; i < n; i++) {
      const at = base + column[rows[start + i]!]! * HIST_STRIDE;
      hist[at] = hist[at]! + g[i]!;
      hist[at + 1] = hist[at + 1]! + h[i]!;
      hist[at + 2] = hist[at + 2]! + 1;
    }
  }
}

/** The histogram subtraction trick: the larger child is its parent minus the smaller child, in place. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] = parent[i]! - child[i]!;
}
