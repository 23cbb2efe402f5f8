import { describe, expect, it } from 'vitest';
import { createRandom } from '../../simulation/random.js';
import { assignGroup, hashToUniform, isInControlGroup } from './control-group.js';

const ids = Array.from({ length: 100_000 }, (_, i) => `cus_${i.toString(36).padStart(6, '0')}`);
const experiment = { salt: 'policy-2026-q1' };
const controlIds = ids.filter((id) => isInControlGroup(id, experiment));

describe('control group assignment', () => {
  it('holds out about 5% by default, within a binomial tolerance', () => {
    const control = controlIds.length;
    const expected = ids.length * 0.05;
    const sd = Math.sqrt(ids.length * 0.05 * 0.95); // ≈ 69
    console.log(`control: ${control} of ${ids.length} (expected ${expected} ± ${sd.toFixed(0)})`);
    expect(Math.abs(control - expected)).toBeLessThan(4 * sd);
  });

  it('spreads the uniform numbers evenly (each decile within tolerance)', () => {
    const deciles = new Array<number>(10).fill(0);
    for (const id of ids.slice(0, 20_000)) deciles[Math.floor(hashToUniform(experiment.salt, id) * 10)]!++;
    const sd = Math.sqrt(20_000 * 0.1 * 0.9);
    for (const count of deciles) expect(Math.abs(count - 2_000)).toBeLessThan(4 * sd);
  });

  it('is a function of the id alone: independent of order, stable across runs', () => {
    const random = createRandom(3);
    const sample = ids.slice(0, 5_000);
    const shuffled = [...sample];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const inOrder = new Map(sample.map((id) => [id, assignGroup(id, experiment).group]));
    for (const id of shuffled) expect(assignGroup(id, experiment).group).toBe(inOrder.get(id));
    // A golden value: sha256 of "14:policy-2026-q1|cus_000000", first 53 bits / 2^53. Breaks if the hash ever changes.
    expect(hashToUniform(experiment.salt, 'cus_000000')).toBe(0.7082261142698922);
  });

  it('reshuffles independently when the salt changes', () => {
    const a = new Set(controlIds);
    const b = new Set(ids.filter((id) => isInControlGroup(id, { salt: 'policy-2026-q2' })));
    const both = [...a].filter((id) => b.has(id)).length;
    // Independent groups overlap in 5% of a: about 250 of ~5,000.
    const sd = Math.sqrt(a.size * 0.05 * 0.95);
    console.log(`overlap between salts: ${both} of ${a.size}`);
    expect(Math.abs(both - a.size * 0.05)).toBeLessThan(4 * sd);
  });

  it('honours a custom rate and refuses nonsense', () => {
    const tenth = ids.slice(0, 20_000).filter((id) => isInControlGroup(id, { salt: 'x', rate: 0.1 })).length;
    expect(Math.abs(tenth - 2_000)).toBeLessThan(4 * Math.sqrt(20_000 * 0.1 * 0.9));
    expect(isInControlGroup('anyone', { salt: 'x', rate: 0 })).toBe(false);
    expect(isInControlGroup('anyone', { salt: 'x', rate: 1 })).toBe(true);
    expect(() => assignGroup('a', { salt: 'x', rate: 1.5 })).toThrow(RangeError);
    expect(() => assignGroup('a', { salt: '' })).toThrow(RangeError);
  });
});
