import { kMeans, nearestCentroid } from './kmeans.js';
import type { RandomSource } from './sampling.js';

/**
 * Behaviour segments with names a collections team can use ("needs a call"), found by k-means on
 * standardised behaviour features and named by rules on each centroid's standardised values.
 */

export const FEATURE_NAMES = ['responseRate', 'medianHoursToPay', 'callShare', 'complaintRate', 'contactSensitivity', 'selfCureRate'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** One customer's behaviour, each a share in [0, 1] except the hours. */
export interface BehaviourFeatures {
  /** Share of contacts followed by a reply or a payment. */
  responseRate: number;
  /** Median hours from a contact to the payment it preceded. */
  medianHoursToPay: number;
  /** Share of responses that followed a voice call (the preferred-channel share that matters most). */
  callShare: number;
  /** Complaints per contact. */
  complaintRate: number;
  /** Drop in response rate once contacted more than twice a week, or opt-outs: how much contact hurts. */
  contactSensitivity: number;
  /** Share of past overdue episodes paid before any contact. */
  selfCureRate: number;
}

export const SEGMENT_NAMES = ['responds fast', 'needs a call', 'sensitive to contact', 'slow payer', 'self-cures'] as const;
export type SegmentName = (typeof SEGMENT_NAMES)[number] | 'typical' | `typical ${number}`;

export interface Segment {
  id: number;
  name: SegmentName;
  /** Centroid in standardised units (z-scores), the space the names were read from. */
  centroid: number[];
  size: number;
}

export interface SegmentModel {
  version: 1;
  features: readonly FeatureName[];
  mean: number[];
  sd: number[];
  segments: Segment[];
}

/** A centroid must stand this many standard deviations out before it earns a descriptive name. */
const NAME_THRESHOLD = 0.5;

/** Hours to pay are right-skewed (most within a day, a few after weeks): log1p keeps the tail from owning the axis. */
export function toVector(features: BehaviourFeatures): number[] {
  return FEATURE_NAMES.map((name) => (name === 'medianHoursToPay' ? Math.log1p(Math.max(0, features[name])) : features[name]));
}

function standardiser(vectors: readonly number[][]): { mean: number[]; sd: number[] } {
  const dims = vectors[0]!.length;
  const mean = Array.from({ length: dims }, (_, d) => vectors.reduce((sum, v) => sum + v[d]!, 0) / vectors.length);
  const sd = mean.map((m, d) => {
    const variance = vectors.reduce((sum, v) => sum + (v[d]! - m) ** 2, 0) / vectors.length;
    // A constant feature carries no information; 1 keeps it at 0 rather than dividing by zero.
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  return { mean, sd };
}

function standardise(vector: readonly number[], mean: readonly number[], sd: readonly number[]): number[] {
  return vector.map((value, d) => (value - mean[d]!) / sd[d]!);
}

/** How well a standardised centroid fits each name; the feature order is FEATURE_NAMES. */
function nameScores(z: readonly number[]): Record<(typeof SEGMENT_NAMES)[number], number> {
  const [response = 0, hours = 0, call = 0, complaint = 0, sensitivity = 0, selfCure = 0] = z;
  return {
    'responds fast': (response - hours) / 2,
    'needs a call': call,
    'sensitive to contact': (complaint + sensitivity) / 2,
    'slow payer': (hours - response) / 2,
    'self-cures': selfCure,
  };
}

/**
 * Gives each centroid its best-fitting name, each name at most once: the strongest (centroid, name)
 * pairs are settled first, so two clusters never both become "needs a call". Centroids that stand
 * out on nothing are 'typical'.
 */
export function nameCentroids(centroids: readonly (readonly number[])[]): SegmentName[] {
  const pairs = centroids.flatMap((z, cluster) =>
    Object.entries(nameScores(z)).map(([name, score]) => ({ cluster, name: name as SegmentName, score })),
  );
  pairs.sort((a, b) => b.score - a.score);
  const names: (SegmentName | undefined)[] = centroids.map(() => undefined);
  const used = new Set<SegmentName>();
  for (const { cluster, name, score } of pairs) {
    if (score < NAME_THRESHOLD) break;
    if (names[cluster] !== undefined || used.has(name)) continue;
    names[cluster] = name;
    used.add(name);
  }
  let typical = 0;
  return names.map((name): SegmentName => name ?? (++typical === 1 ? 'typical' : `typical ${typical}`));
}

export function fitSegments(
  random: RandomSource,
  customers: readonly BehaviourFeatures[],
  options: { k?: number; restarts?: number } = {},
): SegmentModel {
  const k = options.k ?? 5;
  const vectors = customers.map(toVector);
  if (vectors.length < k) throw new RangeError(`need at least ${k} customers to find ${k} segments, got ${vectors.length}`);
  const { mean, sd } = standardiser(vectors);
  const points = vectors.map((v) => standardise(v, mean, sd));
  const result = kMeans(random, points, k, { restarts: options.restarts ?? 4 });
  const names = nameCentroids(result.centroids);
  const sizes = result.centroids.map((_, c) => result.assignments.filter((a) => a === c).length);
  const segments = result.centroids.map((centroid, id) => ({ id, name: names[id]!, centroid, size: sizes[id]! }));
  return { version: 1, features: FEATURE_NAMES, mean, sd, segments };
}

/** Places a customer (new or re-scored) in the nearest segment of a fitted model. */
export function assignSegment(model: SegmentModel, features: BehaviourFeatures): Segment {
  const z = standardise(toVector(features), model.mean, model.sd);
  const { index } = nearestCentroid(z, model.segments.map((s) => s.centroid));
  return model.segments[index]!;
}
