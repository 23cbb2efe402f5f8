import type { Dataset } from './dataset.js';

/** Every feature is binned into 0..254 for values and this bin for missing (and unseen categories). */
export const MISSING_BIN = 255;
export const BINS_PER_FEATURE = 256;
export const MAX_VALUE_BINS = 255;

/**
 * How one feature maps to bins. Numeric: value x goes to the first bin b with x <= thresholds[b], or
 * to the last value bin. Categorical: level i goes to bin i; levels are kept most frequent first.
 */
export type FeatureBins =
  | { name: string; kind: 'numeric'; thresholds: number[] }
  | { name: string; kind: 'categorical'; levels: string[] };

export function valueBinCount(feature: FeatureBins): number {
  return feature.kind === 'numeric' ? feature.thresholds.length + 1 : feature.levels.length;
}

/** Midpoints between distinct values when they fit, else cuts at equal-count quantiles. */
function numericThresholds(values: Float64Array, maxBins: number): number[] {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  if (present.length === 0) return [];
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++) if (i === 0 || present[i] !== present[i - 1]) distinct.push(present[i]!);
  if (distinct.length <= maxBins) {
    const cuts: number[] = [];
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push((distinct[i]! + distinct[i + 1]!) / 2);
    return cuts;
  }
  const cuts: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    const cut = present[Math.floor((k * present.length) / maxBins) - 1]!;
    // A value spanning several quantiles gives one cut: bins stay equal-count where the data allow it.
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  if (cuts[cuts.length - 1] === present[present.length - 1]) cuts.pop();
  return cuts;
}

/** Levels seen in training, most frequent first; beyond 255 the rarest share the missing bin. */
function categoricalLevels(codes: Int32Array, levels: string[]): string[] {
  const counts = new Float64Array(levels.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0) counts[codes[i]!]!++;
  const order = levels.map((_, i) => i).filter((i) => counts[i]! > 0);
  order.sort((a, b) => counts[b]! - counts[a]! || (levels[a]! < levels[b]! ? -1 : 1));
  return order.slice(0, MAX_VALUE_BINS).map((i) => levels[i]!);
}

export function fitBins(data: Dataset, maxBins = MAX_VALUE_BINS): FeatureBins[] {
  const bins = Math.min(Math.max(2, maxBins), MAX_VALUE_BINS);
  return data.columns.map((column): FeatureBins => {
    if (column.kind === 'numeric') return { name: column.name, kind: 'numeric', thresholds: numericThresholds(column.values, bins) };
    return { name: column.name, kind: 'categorical', levels: categoricalLevels(column.codes, column.levels) };
  });
}

function binNumeric(values: Float64Array, thresholds: number[]): Uint8Array {
  const out = new Uint8Array(values.length);
  const last = thresholds.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) {
      out[i] = MISSING_BIN;
      continue;
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= thresholds[mid]!) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

function binCategorical(codes: Int32Array, levels: string[], modelLevels: string[]): Uint8Array {
  // The data's own codes are translated through the level names, so the data may order levels differently.
  const binOf = new Map(modelLevels.map((level, bin) => [level, bin]));
  const translate = Int32Array.from(levels, (level) => binOf.get(level) ?? MISSING_BIN);
  const out = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    out[i] = code < 0 ? MISSING_BIN : translate[code]!;
  }
  return out;
}

/** The binned columns, one Uint8Array per feature; the caller has matched columns to features by name. */
export function applyBins(data: Dataset, features: FeatureBins[]): Uint8Array[] {
  return features.map((feature, f) => {
    const column = data.columns[f]!;
    if (feature.kind === 'numeric' && column.kind === 'numeric') return binNumeric(column.values, feature.thresholds);
    if (feature.kind === 'categorical' && column.kind === 'categorical') return binCategorical(column.codes, column.levels, feature.levels);
    throw new TypeError(`feature ${feature.name} is ${feature.kind} but the column is ${column.kind}`);
  });
}
