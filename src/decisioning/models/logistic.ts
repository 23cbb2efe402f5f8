import { type Result, ok } from '../../core/errors.js';
import { alignColumns } from './align.js';
import { type Dataset, type LabelledDataset, checkTrainable } from './dataset.js';
import { solveSpd } from './linear-algebra.js';
import { type LinearFeature, assignWeights, collectWeights, describeFeatures, encodeDesign } from './logistic-encoding.js';

export interface LogisticOptions {
  /** L2 penalty on every weight but the intercept (scikit-learn's 1 / C). */
  l2: number;
  maxIterations: number;
  /** Stop when no weight moves by more than this in a Newton step. */
  tolerance: number;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = { l2: 1, maxIterations: 50, tolerance: 1e-8 };

export interface LogisticModel {
  kind: 'logistic';
  intercept: number;
  features: LinearFeature[];
}

export interface LogisticFit {
  model: LogisticModel;
  iterations: number;
}

export const MIN_LOGISTIC_ROWS = 10;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function linearScores(x: Float64Array, w: Float64Array, rows: number, d: number): Float64Array {
  const z = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += x[r * d + j]! * w[j]!;
    z[r] = sum;
  }
  return z;
}

/** Gradient and Hessian of the penalised log-loss at w: the pieces of one Newton step. */
function newtonSystem(x: Float64Array, y: Uint8Array, w: Float64Array, d: number, l2: number) {
  const rows = y.length;
  const z = linearScores(x, w, rows, d);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  for (let r = 0; r < rows; r++) {
    const p = sigmoid(z[r]!);
    const residual = p - y[r]!;
    const weight = Math.max(p * (1 - p), 1e-12);
    const base = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[base + i]!;
      if (xi === 0) continue; // one-hot rows are mostly zeros
      grad[i] = grad[i]! + residual * xi;
      const wxi = weight * xi;
      for (let j = 0; j <= i; j++) hess[i * d + j] = hess[i * d + j]! + wxi * x[base + j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) hess[j * d + i] = hess[i * d + j]!;
    if (i > 0) {
      grad[i] = grad[i]! + l2 * w[i]!;
      hess[i * d + i] = hess[i * d + i]! + l2;
    }
  }
  return { grad, hess };
}

/** Newton steps with a ridge added when the Hessian is singular (e.g. l2 = 0 and collinear one-hots). */
function newtonStep(hess: Float64Array, grad: Float64Array, d: number): Float64Array {
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-8 : ridge * 100) {
    const h = ridge === 0 ? hess : hess.map((v, k) => (k % (d + 1) === 0 ? v + ridge : v));
    const step = solveSpd(h, grad, d);
    if (step) return step;
  }
}

/**
 * Logistic regression by Newton's method (IRLS): deterministic, and converged in a handful of
 * steps for the tens of columns a one-hot encoding of contact history gives.
 */
export function fitLogistic(data: LabelledDataset, overrides: Partial<LogisticOptions> = {}): Result<LogisticFit> {
  const options = { ...DEFAULT_LOGISTIC_OPTIONS, ...overrides };
  const trainable = checkTrainable(data, MIN_LOGISTIC_ROWS);
  if (!trainable.ok) return trainable;
  const features = describeFeatures(data);
  const { x, d } = encodeDesign(data, features);
  let w = new Float64Array(d);
  let iterations = 0;
  while (iterations < options.maxIterations) {
    iterations++;
    const { grad, hess } = newtonSystem(x, data.target, w, d, options.l2);
    const step = newtonStep(hess, grad, d);
    let largest = 0;
    w = w.map((v, i) => {
      largest = Math.max(largest, Math.abs(step[i]!));
      return v - step[i]!;
    });
    if (largest < options.tolerance) break;
  }
  return ok({ model: { kind: 'logistic', intercept: w[0]!, features: assignWeights(features, w) }, iterations });
}

/** Probability of the positive outcome per row; columns matched to the model by name and kind. */
export function predictLogistic(model: LogisticModel, data: Dataset): Result<Float64Array> {
  const aligned = alignColumns(data, model.features);
  if (!aligned.ok) return aligned;
  const { x, d } = encodeDesign(aligned.value, model.features);
  const z = linearScores(x, collectWeights(model.intercept, model.features), data.rows, d);
  return ok(z.map((v) => Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(v)))));
}
