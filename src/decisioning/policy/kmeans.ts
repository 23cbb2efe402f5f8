import type { RandomSource } from './sampling.js';

/** k-means with k-means++ seeding (Arthur and Vassilvitskii, 2007) and a few seeded restarts. */

export type Point = readonly number[];

export interface KMeansResult {
  centroids: number[][];
  assignments: number[];
  /** Sum of squared distances to the assigned centroid: lower is tighter. */
  inertia: number;
  iterations: number;
}

export function squaredDistance(a: Point, b: Point): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

export function nearestCentroid(point: Point, centroids: readonly Point[]): { index: number; distance: number } {
  let index = 0;
  let distance = Number.POSITIVE_INFINITY;
  for (const [i, centroid] of centroids.entries()) {
    const d = squaredDistance(point, centroid);
    if (d < distance) {
      distance = d;
      index = i;
    }
  }
  return { index, distance };
}

/** Each next seed is drawn with probability ∝ squared distance to the nearest seed so far, which spreads seeds over the clusters. */
function seedPlusPlus(random: RandomSource, points: readonly Point[], k: number): number[][] {
  const centroids: number[][] = [[...points[Math.floor(random.next() * points.length)]!]];
  const distances = points.map((p) => squaredDistance(p, centroids[0]!));
  while (centroids.length < k) {
    const total = distances.reduce((sum, d) => sum + d, 0);
    let chosen = Math.floor(random.next() * points.length);
    if (total > 0) {
      let target = random.next() * total;
      for (let i = 0; i < distances.length; i++) {
        target -= distances[i]!;
        if (target <= 0) {
          chosen = i;
          break;
        }
      }
    }
    const seed = [...points[chosen]!];
    centroids.push(seed);
    for (let i = 0; i < points.length; i++) distances[i] = Math.min(distances[i]!, squaredDistance(points[i]!, seed));
  }
  return centroids;
}

function recomputeCentroids(points: readonly Point[], assignments: readonly number[], centroids: number[][]): void {
  const dims = points[0]!.length;
  const sums = centroids.map(() => new Array<number>(dims).fill(0));
  const counts = centroids.map(() => 0);
  for (const [i, point] of points.entries()) {
    const cluster = assignments[i]!;
    counts[cluster]!++;
    for (let d = 0; d < dims; d++) sums[cluster]![d]! += point[d]!;
  }
  for (const [c, count] of counts.entries()) {
    if (count > 0) centroids[c] = sums[c]!.map((sum) => sum / count);
    else centroids[c] = [...farthestPoint(points, assignments, centroids)];
  }
}

/** An empty cluster takes the worst-served point: better than leaving a dead centroid. */
function farthestPoint(points: readonly Point[], assignments: readonly number[], centroids: readonly Point[]): Point {
  let best = points[0]!;
  let bestDistance = -1;
  for (const [i, point] of points.entries()) {
    const d = squaredDistance(point, centroids[assignments[i]!]!);
    if (d > bestDistance) {
      bestDistance = d;
      best = point;
    }
  }
  return best;
}

function runLloyd(points: readonly Point[], centroids: number[][], maxIterations: number): KMeansResult {
  let assignments = points.map(() => -1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const next = points.map((p) => nearestCentroid(p, centroids).index);
    const changed = next.some((c, i) => c !== assignments[i]);
    assignments = next;
    if (!changed) break;
    recomputeCentroids(points, assignments, centroids);
  }
  const inertia = points.reduce((sum, p, i) => sum + squaredDistance(p, centroids[assignments[i]!]!), 0);
  return { centroids, assignments, inertia, iterations };
}

export function kMeans(
  random: RandomSource,
  points: readonly Point[],
  k: number,
  options: { maxIterations?: number; restarts?: number } = {},
): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (points.length < k) throw new RangeError(`k-means needs at least k = ${k} points, got ${points.length}`);
  const maxIterations = options.maxIterations ?? 100;
  const restarts = options.restarts ?? 4;
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = runLloyd(points, seedPlusPlus(random, points, k), maxIterations);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}
