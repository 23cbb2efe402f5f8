import { performance } from 'node:perf_hooks';
import { IntentModel, type IntentModelOptions, type LabelledText } from './intent-model.js';

export interface LabelScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface NluEvalReport {
  accuracy: number;
  macroF1: number;
  trainSeconds: number;
  /** 99th percentile of one prediction's wall time, over every test text, in milliseconds. */
  p99Ms: number;
  /**
   * The same percentile in process CPU time: on a loaded machine the wall time of a 50 µs call is
   * mostly time spent waiting for a core, which this leaves out.
   */
  p99CpuMs: number;
  perLabel: Record<string, LabelScore>;
  trainRows: number;
  testRows: number;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const WARM_UP_CALLS = 200;

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Per-label precision, recall and F1 over the labels seen in either truth or prediction. */
export function scorePredictions(truth: readonly string[], predicted: readonly string[]): { accuracy: number; macroF1: number; perLabel: Record<string, LabelScore> } {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const entry = (label: string) => {
    let c = counts.get(label);
    if (!c) counts.set(label, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  let correct = 0;
  for (const [i, actual] of truth.entries()) {
    const guess = predicted[i]!;
    if (guess === actual) {
      correct++;
      entry(actual).tp++;
    } else {
      entry(actual).fn++;
      entry(guess).fp++;
    }
  }
  const perLabel: Record<string, LabelScore> = {};
  let f1Sum = 0;
  for (const [label, { tp, fp, fn }] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    f1Sum += f1;
    perLabel[label] = { precision: round(precision), recall: round(recall), f1: round(f1), support: tp + fn };
  }
  return { accuracy: truth.length === 0 ? 0 : correct / truth.length, macroF1: counts.size === 0 ? 0 : f1Sum / counts.size, perLabel };
}

/** Trains on one set, predicts the other one text at a time (as the assistant does), and times both. */
export function evaluateIntentModel(train: readonly LabelledText[], test: readonly LabelledText[], options?: IntentModelOptions): NluEvalReport {
  const started = performance.now();
  const model = IntentModel.train(train, options);
  const trainSeconds = (performance.now() - started) / 1000;
  // A served model answers thousands of messages: its first few calls (interpreted, not yet compiled
  // by V8) are not what it costs, so they are run before timing starts.
  for (const example of train.slice(0, WARM_UP_CALLS)) model.predict(example.text);
  const predicted: string[] = [];
  const latencies: number[] = [];
  const cpuLatencies: number[] = [];
  for (const example of test) {
    const cpuBefore = process.cpuUsage();
    const before = performance.now();
    predicted.push(model.predict(example.text).label);
    latencies.push(performance.now() - before);
    const cpu = process.cpuUsage(cpuBefore);
    cpuLatencies.push((cpu.user + cpu.system) / 1000);
  }
  latencies.sort((a, b) => a - b);
  cpuLatencies.sort((a, b) => a - b);
  const scores = scorePredictions(test.map((e) => e.label), predicted);
  return {
    accuracy: round(scores.accuracy),
    macroF1: round(scores.macroF1),
    trainSeconds: round(trainSeconds, 2),
    p99Ms: round(percentile(latencies, 0.99), 3),
    p99CpuMs: round(percentile(cpuLatencies, 0.99), 3),
    perLabel: scores.perLabel,
    trainRows: train.length,
    testRows: test.length,
  };
}
