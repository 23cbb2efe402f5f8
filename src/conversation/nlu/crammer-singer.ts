import type { SvmOptions } from './linear-svm.js';
import { mulberry32, type RowMatrix } from './linear-svm.js';

/**
 * Crammer-Singer multiclass linear SVM, trained by dual coordinate descent over one example at a time
 * (Keerthi et al. 2008, liblinear's MCSVM_CS solver), with a bias feature of value 1.
 *
 * Why not one-vs-rest: the 77 binary problems of BANKING77 each see one class against 76 others and
 * their decision values are not on a common scale; a single problem in which every example must beat
 * every other class by a margin scored about 0.45 points better in 5-fold cross-validation on train.csv.
 *
 * Weights are feature-major (`weights[j * classes + m]`), the biases at `dimension * classes`, as
 * `linearScores` expects.
 */
export function trainCrammerSinger(matrix: RowMatrix, labels: Int32Array, classes: number, dimension: number, options: SvmOptions): Float64Array {
  const { offsets, indices, values, squaredNorms, rows } = matrix;
  const c = options.c;
  const weights = new Float64Array((dimension + 1) * classes);
  const bias = dimension * classes;
  // alpha[i * classes + m]: dual variables, ≤ 0 for the wrong classes, ≤ C for the true one, summing to 0.
  const alpha = new Float64Array(rows * classes);
  const gradient = new Float64Array(classes);
  const b = new Float64Array(classes);
  const sorted = new Float64Array(classes);
  const next = new Float64Array(classes);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const random = mulberry32(options.seed);
  for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
    for (let s = rows - 1; s > 0; s--) {
      const j = Math.floor(random() * (s + 1));
      [order[s], order[j]] = [order[j]!, order[s]!];
    }
    let violation = 0;
    for (let s = 0; s < rows; s++) {
      const i = order[s]!;
      const y = labels[i]!;
      const from = offsets[i]!;
      const to = offsets[i + 1]!;
      const a = i * classes;
      // Gradient of the dual in this example's variables: the score of each class, plus the margin
      // of 1 that every wrong class must be beaten by.
      for (let m = 0; m < classes; m++) gradient[m] = weights[bias + m]! + (m === y ? 0 : 1);
      for (let p = from; p < to; p++) {
        const base = indices[p]! * classes;
        const value = values[p]!;
        for (let m = 0; m < classes; m++) gradient[m]! += weights[base + m]! * value;
      }
      // Optimality: the largest gradient must not exceed the smallest among variables below their bound.
      let minG = Infinity;
      let maxG = -Infinity;
      for (let m = 0; m < classes; m++) {
        if (alpha[a + m]! < 0 && gradient[m]! < minG) minG = gradient[m]!;
        if (gradient[m]! > maxG) maxG = gradient[m]!;
      }
      if (alpha[a + y]! < c && gradient[y]! < minG) minG = gradient[y]!;
      if (maxG - minG <= 1e-12) continue;
      violation = Math.max(violation, maxG - minG);
      solveSubProblem(squaredNorms[i]!, y, c, alpha.subarray(a, a + classes), gradient, b, sorted, next);
      for (let m = 0; m < classes; m++) {
        const step = next[m]! - alpha[a + m]!;
        if (Math.abs(step) < 1e-12) continue;
        alpha[a + m] = next[m]!;
        for (let p = from; p < to; p++) weights[indices[p]! * classes + m]! += step * values[p]!;
        weights[bias + m]! += step;
      }
    }
    if (violation < options.tolerance) break;
  }
  return weights;
}

/**
 * The exact minimiser of the dual restricted to one example's variables (Crammer & Singer 2001,
 * as in liblinear): a water-filling threshold `beta` found by walking the sorted values once.
 * `squaredNorm` is ‖x‖² + 1 (the bias); the result is written to `next`.
 */
function solveSubProblem(squaredNorm: number, y: number, c: number, alpha: Float64Array, gradient: Float64Array, b: Float64Array, sorted: Float64Array, next: Float64Array): void {
  const classes = alpha.length;
  for (let m = 0; m < classes; m++) sorted[m] = b[m] = gradient[m]! - squaredNorm * alpha[m]!;
  sorted[y]! += squaredNorm * c;
  sorted.sort().reverse();
  let beta = sorted[0]! - squaredNorm * c;
  let r = 1;
  for (; r < classes && beta < r * sorted[r]!; r++) beta += sorted[r]!;
  beta /= r;
  for (let m = 0; m < classes; m++) next[m] = Math.min(m === y ? c : 0, (beta - b[m]!) / squaredNorm);
}
