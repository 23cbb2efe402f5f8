import { describe, expect, it } from 'vitest';
import { rocAuc } from './auc.js';

describe('rocAuc', () => {
  it('matches the hand count of correctly ordered pairs', () => {
    // Pairs (pos, neg): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4: 3 of 4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('counts a tie between a positive and a negative as one half', () => {
    // 0.5(pos) vs 0.1: 1, vs 0.5(neg): 0.5; 0.9 vs both: 2; total 3.5 of 4.
    expect(rocAuc([0.1, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.2, 0.7, 0.7, 0.7], [0, 1, 0, 1, 1])).toBeCloseTo((0.5 + 2 * 1 + 2 * 0.5) / 6, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, whatever the order of rows', () => {
    expect(rocAuc([3, 1, 4, 2], [1, 0, 1, 0])).toBe(1);
    expect(rocAuc([3, 1, 4, 2], [0, 1, 0, 1])).toBe(0);
  });

  it('is NaN with one class and refuses mismatched lengths', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(() => rocAuc([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
  });
});
