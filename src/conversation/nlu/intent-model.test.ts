import { describe, expect, it } from 'vitest';
import { scorePredictions } from './evaluate.js';
import { IntentModel, DEFAULT_INTENT_MODEL_OPTIONS, type LabelledText } from './intent-model.js';

const examples: LabelledText[] = [
  ...['what is my balance', 'how much do I owe', 'show my balance', 'balance please', 'what do I owe you'].map((text) => ({ text, label: 'balance' })),
  ...['send me a pay link', 'how do I pay', 'link to pay please', 'I want to pay now', 'payment link'].map((text) => ({ text, label: 'pay' })),
  ...['我还欠多少', '查一下余额', '欠款多少'].map((text) => ({ text, label: 'balance' })),
  ...['怎么还款', '发个还款链接', '我要付款'].map((text) => ({ text, label: 'pay' })),
];

describe('IntentModel', () => {
  const model = IntentModel.train(examples);

  it('classifies texts it has not seen by their words and characters', () => {
    expect(model.predict('what is my current balance').label).toBe('balance');
    expect(model.predict('can you send the payment link').label).toBe('pay');
    expect(model.predict('我欠多少钱').label).toBe('balance');
    expect(model.predict('还款链接发我').label).toBe('pay');
  });

  it('survives typos through character n-grams', () => {
    expect(model.predict('whats my balnce').label).toBe('balance');
    expect(model.predict('paymnt lnk').label).toBe('pay');
  });

  it('gives probabilities that sum to one, the best one as confidence', () => {
    const probabilities = model.probabilities('how do I pay');
    expect([...probabilities].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(model.predict('how do I pay').confidence).toBeCloseTo(Math.max(...probabilities), 10);
  });

  it('falls back to the fallback label when no intent is confident enough', () => {
    const strict = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, fallback: { label: 'out_of_scope', threshold: 0.999 } });
    expect(strict.predict('purple elephants dancing').label).toBe('out_of_scope');
    const lenient = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, fallback: { label: 'out_of_scope', threshold: 0 } });
    expect(lenient.predict('purple elephants dancing').label).not.toBe('out_of_scope');
  });

  it('trains the same model twice from the same data (seeded)', () => {
    const again = IntentModel.train(examples);
    expect([...again.probabilities('pay balance')]).toEqual([...model.probabilities('pay balance')]);
  });

  it('also trains one-vs-rest SVMs, the multiclass scheme used before Crammer-Singer', () => {
    const ovr = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, svm: { ...DEFAULT_INTENT_MODEL_OPTIONS.svm, multiclass: 'one-vs-rest', c: 1.5 } });
    expect(ovr.predict('what is my current balance').label).toBe('balance');
    expect(ovr.predict('还款链接发我').label).toBe('pay');
  });

  it('averages the SVM with the network when there are enough examples per label, and is the SVM alone without it', () => {
    const mlp = DEFAULT_INTENT_MODEL_OPTIONS.mlp!;
    expect(mlp).toBeDefined();
    const withNetwork = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, mlp: { ...mlp, minExamplesPerLabel: 1 } });
    const svmOnly = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, mlp: undefined });
    const blended = [...withNetwork.probabilities('balance please')];
    const alone = [...svmOnly.probabilities('balance please')];
    expect(blended).not.toEqual(alone);
    expect(blended.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const noShare = IntentModel.train(examples, { ...DEFAULT_INTENT_MODEL_OPTIONS, mlp: { ...mlp, minExamplesPerLabel: 1, weight: 0 } });
    expect([...noShare.probabilities('balance please')]).toEqual(alone);
    // This corpus has a handful of examples per label, far under the default minimum: no network.
    expect(examples.length).toBeLessThan(mlp.minExamplesPerLabel * new Set(examples.map((e) => e.label)).size);
    expect([...model.probabilities('balance please')]).toEqual(alone);
  });

  it('refuses to train on nothing', () => {
    expect(() => IntentModel.train([])).toThrow(/no examples/);
  });
});

describe('scorePredictions', () => {
  it('computes accuracy, per-label precision/recall/F1 and their macro average', () => {
    const { accuracy, macroF1, perLabel } = scorePredictions(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
    expect(accuracy).toBe(0.75);
    expect(perLabel.a).toEqual({ precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    expect(perLabel.b).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
  });
});
