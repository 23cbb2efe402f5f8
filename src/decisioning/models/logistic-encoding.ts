import type { Dataset } from './dataset.js';

/**
 * How one column enters the linear model, with its weights. Numeric: standardised, a missing value
 * counts as the mean and switches on its own indicator weight. Categorical: one weight per level
 * (one-hot) and one for missing; a level never seen in training scores zero.
 */
export type LinearFeature =
  | { name: string; kind: 'numeric'; mean: number; std: number; weight: number; missingWeight: number; hasMissing: boolean }
  | { name: string; kind: 'categorical'; levels: string[]; weights: number[]; missingWeight: number; hasMissing: boolean };

/** Means, spreads and levels from the training data; weights start at zero. */
export function describeFeatures(data: Dataset): LinearFeature[] {
  return data.columns.map((column): LinearFeature => {
    if (column.kind === 'numeric') {
      let n = 0;
      let sum = 0;
      let sumSq = 0;
      for (const v of column.values) {
        if (Number.isNaN(v)) continue;
        n++;
        sum += v;
        sumSq += v * v;
      }
      const mean = n > 0 ? sum / n : 0;
      const variance = n > 0 ? Math.max(0, sumSq / n - mean * mean) : 0;
      // A constant column gets a unit spread: it then adds nothing instead of dividing by zero.
      const std = variance > 1e-24 ? Math.sqrt(variance) : 1;
      return { name: column.name, kind: 'numeric', mean, std, weight: 0, missingWeight: 0, hasMissing: n < column.values.length };
    }
    const seen = new Set<number>();
    let hasMissing = false;
    for (const code of column.codes) {
      if (code < 0) hasMissing = true;
      else seen.add(code);
    }
    const levels = column.levels.filter((_, code) => seen.has(code));
    return { name: column.name, kind: 'categorical', levels, weights: levels.map(() => 0), missingWeight: 0, hasMissing };
  });
}

/** Width of each feature's block in the design matrix. */
export function blockWidth(feature: LinearFeature): number {
  const missing = feature.hasMissing ? 1 : 0;
  return (feature.kind === 'numeric' ? 1 : feature.levels.length) + missing;
}

/**
 * The dense design matrix (row-major, intercept column first). The columns of `data` are already in
 * the order of `features`.
 */
export function encodeDesign(data: Dataset, features: LinearFeature[]): { x: Float64Array; d: number } {
  const d = 1 + features.reduce((sum, f) => sum + blockWidth(f), 0);
  const x = new Float64Array(data.rows * d);
  for (let r = 0; r < data.rows; r++) x[r * d] = 1;
  let offset = 1;
  features.forEach((feature, f) => {
    const column = data.columns[f]!;
    if (feature.kind === 'numeric' && column.kind === 'numeric') {
      for (let r = 0; r < data.rows; r++) {
        const v = column.values[r]!;
        if (!Number.isNaN(v)) x[r * d + offset] = (v - feature.mean) / feature.std;
        else if (feature.hasMissing) x[r * d + offset + 1] = 1;
      }
    } else if (feature.kind === 'categorical' && column.kind === 'categorical') {
      const position = new Map(feature.levels.map((level, i) => [level, i]));
      const slot = column.levels.map((level) => position.get(level) ?? -1);
      const missingSlot = feature.hasMissing ? feature.levels.length : -1;
      for (let r = 0; r < data.rows; r++) {
        const code = column.codes[r]!;
        const at = code < 0 ? missingSlot : slot[code]!;
        if (at >= 0) x[r * d + offset + at] = 1;
      }
    }
    offset += blockWidth(feature);
  });
  return { x, d };
}

/** Writes a fitted weight vector back into the features, in the order encodeDesign laid them out. */
export function assignWeights(features: LinearFeature[], w: Float64Array): LinearFeature[] {
  let offset = 1;
  return features.map((feature) => {
    const width = blockWidth(feature);
    const block = Array.from(w.subarray(offset, offset + width));
    offset += width;
    if (feature.kind === 'numeric') return { ...feature, weight: block[0]!, missingWeight: feature.hasMissing ? block[1]! : 0 };
    return { ...feature, weights: block.slice(0, feature.levels.length), missingWeight: feature.hasMissing ? block[feature.levels.length]! : 0 };
  });
}

/** The inverse of assignWeights: the model's weights as one vector, intercept first. */
export function collectWeights(intercept: number, features: LinearFeature[]): Float64Array {
  const parts: number[] = [intercept];
  for (const f of features) {
    if (f.kind === 'numeric') parts.push(f.weight, ...(f.hasMissing ? [f.missingWeight] : []));
    else parts.push(...f.weights, ...(f.hasMissing ? [f.missingWeight] : []));
  }
  return Float64Array.from(parts);
}
