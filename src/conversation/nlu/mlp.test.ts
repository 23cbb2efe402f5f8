import { describe, expect, it } from 'vitest';
import { trainCrammerSinger } from './crammer-singer.js';
import { DEFAULT_SVM_OPTIONS, linearScores, toRowMatrix } from './linear-svm.js';
import { type MlpOptions, mlpScores, trainMlp } from './mlp.js';
import type { SparseVector } from './tfidf.js';

// Four features (0 red, 1 blue, 2 circle, 3 square); class 0 for red circle and blue square, class 1
// for red square and blue circle. Both classes have the same feature sums: no linear model separates
// them, a hidden layer does. That is what the network adds to the SVM.
const row = (...features: number[]): SparseVector => ({ indices: Int32Array.from(features), values: new Float64Array(features.length).fill(Math.SQRT1_2) });
const xorRows = [row(0, 2), row(1, 3), row(0, 3), row(1, 2)];
const xorLabels = Int32Array.from([0, 0, 1, 1]);
const rows = Array.from({ length: 25 }, () => xorRows).flat();
const labels = Int32Array.from(rows, (_, i) => xorLabels[i % 4]!);
const options: MlpOptions = { hidden: 16, epochs: 40, learningRate: 0.2, dropout: 0, labelSmoothing: 0.1, initScale: 0.5, seed: 7 };

const argmax = (scores: Float64Array) => scores.indexOf(Math.max(...scores));

describe('trainMlp', () => {
  it('learns a combination of features that no linear model can', () => {
    const network = trainMlp(rows, labels, 2, 4, options);
    expect(xorRows.map((r) => argmax(mlpScores(network, r)))).toEqual([...xorLabels]);
    const svm = trainCrammerSinger(toRowMatrix(rows), labels, 2, 4, DEFAULT_SVM_OPTIONS);
    expect(xorRows.map((r) => argmax(linearScores(svm, 2, 4, r)))).not.toEqual([...xorLabels]);
  });

  it('trains the same network twice from the same seed, with dropout', () => {
    const withDropout = { ...options, dropout: 0.5 };
    const a = trainMlp(rows, labels, 2, 4, withDropout);
    const b = trainMlp(rows, labels, 2, 4, withDropout);
    expect([...mlpScores(a, xorRows[0]!)]).toEqual([...mlpScores(b, xorRows[0]!)]);
  });
});
