import { describe, expect, it } from 'vitest';
import { gbmFromJson, logisticFromJson } from './model-json.js';

const valid = {
  format: 'recoup.gbm',
  version: 1,
  baseScore: -1,
  features: [
    { name: 'x', kind: 'numeric', thresholds: [1.5, 2.5] },
    { name: 'c', kind: 'categorical', levels: ['a', 'b'] },
  ],
  trees: [[{ feature: 0, threshold: 1, missingLeft: true, left: 1, right: 2 }, { value: -0.1 }, { feature: 1, categories: [1], missingLeft: false, left: 3, right: 4 }, { value: 0.2 }, { value: 0.3 }]],
};

const withTree = (nodes: unknown[]) => ({ ...valid, trees: [nodes] });

describe('loading stored models', () => {
  it('loads a valid model', () => {
    expect(gbmFromJson(valid).ok).toBe(true);
  });

  it.each([
    ['not an object', 'nonsense', /not a valid gradient-boosting model/],
    ['another format', { ...valid, format: 'xgboost' }, /format/],
    ['a newer version', { ...valid, version: 2 }, /version/],
    ['a cycle', withTree([{ feature: 0, threshold: 0, missingLeft: true, left: 0, right: 1 }, { value: 1 }]), /children must be distinct nodes after their parent/],
    ['a child out of range', withTree([{ feature: 0, threshold: 0, missingLeft: true, left: 1, right: 9 }, { value: 1 }]), /children/],
    ['an unknown feature', withTree([{ feature: 5, threshold: 0, missingLeft: true, left: 1, right: 2 }, { value: 1 }, { value: 2 }]), /feature 5 does not exist/],
    ['a threshold on a categorical feature', withTree([{ feature: 1, threshold: 0, missingLeft: true, left: 1, right: 2 }, { value: 1 }, { value: 2 }]), /needs categories only/],
    ['a bin out of range', withTree([{ feature: 0, threshold: 7, missingLeft: true, left: 1, right: 2 }, { value: 1 }, { value: 2 }]), /bin out of range/],
    ['a NaN leaf', withTree([{ value: Number.NaN }]), /trees\[0\]\[0\]\.value must be number/],
    ['an infinite base score', { ...valid, baseScore: Number.POSITIVE_INFINITY }, /baseScore must be number/],
    ['unsorted thresholds', { ...valid, features: [{ name: 'x', kind: 'numeric', thresholds: [2.5, 1.5] }, valid.features[1]] }, /strictly increasing/],
  ])('refuses %s with an error value', (_, stored, message) => {
    const loaded = gbmFromJson(stored);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.message).toMatch(message);
  });

  it('refuses a logistic model whose weights do not match its levels', () => {
    const loaded = logisticFromJson({
      format: 'recoup.logistic',
      version: 1,
      intercept: 0,
      features: [{ name: 'c', kind: 'categorical', levels: ['a', 'b'], weights: [1], missingWeight: 0, hasMissing: false }],
    });
    expect(!loaded.ok && loaded.error.message).toMatch(/has 1 weights for 2 levels/);
  });
});
