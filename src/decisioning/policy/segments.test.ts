import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../../simulation/random.js';
import { kMeans } from './kmeans.js';
import { sampleStandardNormal } from './sampling.js';
import { assignSegment, fitSegments, nameCentroids, type BehaviourFeatures, type SegmentName } from './segments.js';

/** Archetypes a collections team would recognise, with the raw behaviour each shows. */
const ARCHETYPES: Record<string, BehaviourFeatures> = {
  'responds fast': { responseRate: 0.8, medianHoursToPay: 3, callShare: 0.2, complaintRate: 0.01, contactSensitivity: 0.1, selfCureRate: 0.2 },
  'needs a call': { responseRate: 0.4, medianHoursToPay: 30, callShare: 0.9, complaintRate: 0.02, contactSensitivity: 0.1, selfCureRate: 0.1 },
  'sensitive to contact': { responseRate: 0.3, medianHoursToPay: 40, callShare: 0.2, complaintRate: 0.3, contactSensitivity: 0.8, selfCureRate: 0.2 },
  'slow payer': { responseRate: 0.15, medianHoursToPay: 300, callShare: 0.3, complaintRate: 0.02, contactSensitivity: 0.2, selfCureRate: 0.05 },
  'self-cures': { responseRate: 0.5, medianHoursToPay: 24, callShare: 0.1, complaintRate: 0.01, contactSensitivity: 0.3, selfCureRate: 0.9 },
};

function jitter(random: Random, base: BehaviourFeatures): BehaviourFeatures {
  const share = (v: number) => Math.min(1, Math.max(0, v + 0.03 * sampleStandardNormal(random)));
  return {
    responseRate: share(base.responseRate),
    medianHoursToPay: base.medianHoursToPay * Math.exp(0.15 * sampleStandardNormal(random)),
    callShare: share(base.callShare),
    complaintRate: share(base.complaintRate),
    contactSensitivity: share(base.contactSensitivity),
    selfCureRate: share(base.selfCureRate),
  };
}

function portfolio(seed: number, perArchetype: number): { customers: BehaviourFeatures[]; truth: string[] } {
  const random = createRandom(seed);
  const customers: BehaviourFeatures[] = [];
  const truth: string[] = [];
  for (const [name, base] of Object.entries(ARCHETYPES)) {
    for (let i = 0; i < perArchetype; i++) {
      customers.push(jitter(random, base));
      truth.push(name);
    }
  }
  return { customers, truth };
}

describe('k-means++', () => {
  it('recovers well-separated clusters and their centres', () => {
    const random = createRandom(4);
    const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
    const points = centres.flatMap((c) => Array.from({ length: 50 }, () => [c[0]! + sampleStandardNormal(random), c[1]! + sampleStandardNormal(random)]));
    const result = kMeans(createRandom(9), points, 4);
    for (let c = 0; c < 4; c++) {
      const labels = new Set(result.assignments.slice(c * 50, c * 50 + 50));
      expect(labels.size).toBe(1);
      const found = result.centroids[[...labels][0]!]!;
      expect(Math.hypot(found[0]! - centres[c]![0]!, found[1]! - centres[c]![1]!)).toBeLessThan(0.5);
    }
    expect(new Set(result.assignments).size).toBe(4);
  });

  it('is deterministic for a seed and refuses impossible k', () => {
    const points = [[0], [1], [5], [6], [20]];
    expect(kMeans(createRandom(1), points, 2)).toEqual(kMeans(createRandom(1), points, 2));
    expect(() => kMeans(createRandom(1), points, 6)).toThrow(RangeError);
  });
});

describe('behaviour segments', () => {
  it('finds the archetypes and names each one for the people in it', () => {
    const { customers, truth } = portfolio(21, 60);
    const model = fitSegments(createRandom(5), customers, { k: 5 });
    const segmentOf = customers.map((c) => assignSegment(model, c).name);
    const agree = segmentOf.filter((name, i) => name === truth[i]).length / customers.length;
    console.log(`segments: ${model.segments.map((s) => `${s.name} (${s.size})`).join(', ')}; ${(agree * 100).toFixed(1)}% named as their archetype`);
    expect(agree).toBeGreaterThan(0.98);
    expect(new Set(model.segments.map((s) => s.name))).toEqual(new Set(Object.keys(ARCHETYPES)));
  });

  it('places a new customer in the right named segment', () => {
    const { customers } = portfolio(22, 40);
    const model = fitSegments(createRandom(6), customers);
    const random = createRandom(23);
    expect(assignSegment(model, jitter(random, ARCHETYPES['needs a call']!)).name).toBe('needs a call');
    expect(assignSegment(model, jitter(random, ARCHETYPES['self-cures']!)).name).toBe('self-cures');
  });

  it('names centroids by their standout features, each name once, the rest typical', () => {
    // Feature order: response, hours, call, complaint, sensitivity, self-cure (z-scores).
    const names: SegmentName[] = nameCentroids([
      [0, 0, 2, 0, 0, 0],
      [0, 0, 1.5, 0, 0, 0],
      [1, -1, 0, 0, 0, 0],
      [0.1, 0, 0, 0.1, 0, 0.2],
      [0, 0, 0, 1, 1.2, 0],
    ]);
    expect(names).toEqual(['needs a call', 'typical', 'responds fast', 'typical 2', 'sensitive to contact']);
  });
});
