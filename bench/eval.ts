import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import {
  DEFAULT_EVAL_SEED,
  DEFAULT_GBM_OPTIONS,
  DEFAULT_LOGISTIC_OPTIONS,
  EVAL_SPECS,
  type EvalKind,
  TEST_FRACTION,
  evaluateCsv,
} from '../src/decisioning/models/index.js';
import { sklearnPeer } from './eval-peer.js';
import { describeMachine } from './machine.js';

/**
 * The model benchmark: `recoup eval response` on UCI Bank Marketing and `recoup eval risk` on the
 * UCI Taiwan credit default file, against the scikit-learn figures quoted in the issue. The data
 * live outside the project; their folder is always given (`--data-dir`).
 */

export interface EvalBenchOptions {
  dataDir?: string;
  seed?: number;
}

interface Reference {
  file: string;
  /** scikit-learn 1.2 on its own stratified 80/20 split (train_test_split, random_state=42), from the issue. */
  sklearn: Record<string, number>;
  targetAuc: number;
}

const TARGET_FIT_SECONDS = 10;

const REFERENCES: Record<EvalKind, Reference> = {
  response: {
    file: 'uci-bank-marketing/bank-additional-full.csv',
    sklearn: { logisticRegression: 0.801, randomForest: 0.806, histGradientBoosting: 0.816, histGradientBoostingFitSeconds: 0.9 },
    targetAuc: 0.816,
  },
  risk: {
    file: 'uci-default-credit-card-clients/default_of_credit_card_clients.csv',
    sklearn: { logisticRegression: 0.71, randomForest: 0.77, histGradientBoosting: 0.778 },
    targetAuc: 0.778,
  },
};

/** The reference figures come from one particular split; how much of a gap is the split, measured once. */
const SPLIT_NOTES: Record<EvalKind, string> = {
  response:
    'Cross-check (2026-11-22, Debian python3-sklearn 1.2.1, same machine): on scikit-learn\'s own split (train_test_split(test_size=0.2, stratify=y, random_state=42)) this GBM scored 0.8159 and the logistic baseline 0.8009, the same as HistGradientBoosting (0.8159) and LogisticRegression (0.8009) there; on this project\'s seed-42 split HistGradientBoosting(categorical) scores 0.8030. The AUC moves by about +-0.01 from one split to another: over seeds 1-5 this GBM scores 0.7897-0.8103 (mean 0.7997), the logistic baseline 0.7892 on average.',
  risk:
    'Cross-check (2026-11-22, Debian python3-sklearn 1.2.1, same machine): on scikit-learn\'s own split this GBM scored 0.7789 and the logistic baseline 0.7101 (HistGradientBoosting 0.7781); on this project\'s seed-42 split HistGradientBoosting scores 0.7874.',
};

/** describeMachine asks PostgreSQL its version; this benchmark does not need one to be running. */
async function machine() {
  try {
    return await describeMachine(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  } catch {
    return { os: `${platform()} ${release()} ${arch()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)), node: process.version };
  }
}

const featureList = (kind: EvalKind) => EVAL_SPECS[kind].features.map((f) => `${f.name} (${f.kind})`);

async function runOne(kind: EvalKind, dataDir: string, seed: number, log: (line: string) => void) {
  const reference = REFERENCES[kind];
  const file = join(dataDir, reference.file);
  const result = await evaluateCsv(file, EVAL_SPECS[kind], { seed });
  if (!result.ok) return { kind, failures: [`cannot evaluate: ${result.error.message}`], resultFile: undefined };
  const r = result.value;
  const peer = await sklearnPeer(file, EVAL_SPECS[kind], seed);
  const targets = [
    { name: `gbm ROC AUC >= ${reference.targetAuc}`, target: `auc >= ${reference.targetAuc}`, actual: r.auc, pass: r.auc >= reference.targetAuc },
    { name: `gbm fit under ${TARGET_FIT_SECONDS} s`, target: `fitSeconds < ${TARGET_FIT_SECONDS}`, actual: r.fitSeconds, pass: r.fitSeconds < TARGET_FIT_SECONDS },
    ...('auc' in peer ? [{ name: 'gbm ROC AUC at least scikit-learn HistGradientBoosting\'s on the same split, in the same run', target: `auc >= ${peer.auc}`, actual: r.auc, pass: r.auc >= peer.auc }] : []),
  ];
  const report = {
    benchmark: `eval-${kind}`,
    date: new Date().toISOString(),
    machine: await machine(),
    command: `recoup eval ${kind} --data <data-dir>/${reference.file} --seed ${seed} --json`,
    data: { file: reference.file, rows: r.rows, trainRows: r.trainRows, testRows: r.testRows, positiveRate: r.positiveRate },
    parameters: { seed, testFraction: TEST_FRACTION, features: featureList(kind), target: EVAL_SPECS[kind].target, dropped: EVAL_SPECS[kind].ignored, gbm: { ...DEFAULT_GBM_OPTIONS, seed }, logistic: DEFAULT_LOGISTIC_OPTIONS },
    results: {
      gbm: { auc: r.auc, fitSeconds: r.fitSeconds, trees: r.iterations },
      logistic: { auc: r.baselineAuc, fitSeconds: r.baselineFitSeconds },
    },
    reference: { what: 'scikit-learn 1.2, its own stratified 80/20 split, figures quoted in the issue', ...reference.sklearn },
    peer: {
      what: 'scikit-learn HistGradientBoostingClassifier (defaults, categorical features marked) fitted on this run\'s training rows and scored on its test rows (bench/peers/sklearn_hgb.py)',
      ...peer,
      ...('auc' in peer ? { aucRatio: Number((r.auc / peer.auc).toFixed(4)), fitSecondsRatio: Number((r.fitSeconds / Math.max(peer.fitSeconds, 0.01)).toFixed(2)) } : {}),
    },
    note: SPLIT_NOTES[kind],
    targets,
  };
  const resultFile = join(packageRoot(), 'bench', 'results', `eval-${kind}.json`);
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(report, null, 2)}\n`);
  const peerLine = 'auc' in peer ? `scikit-learn ${peer.version} HistGradientBoosting on the same split ${peer.auc} (fit ${peer.fitSeconds} s)` : `peer skipped: ${peer.skipped}`;
  log(`eval ${kind}: gbm AUC ${r.auc} (target >= ${reference.targetAuc}) fit ${r.fitSeconds} s, ${r.iterations} trees; logistic AUC ${r.baselineAuc}; ${peerLine}; wrote ${resultFile}`);
  return { kind, failures: targets.filter((t) => !t.pass).map((t) => `${t.name}: ${t.actual} (${t.target})`), resultFile };
}

export async function run(options: EvalBenchOptions = {}, log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
  if (!options.dataDir) {
    return { name: 'eval', resultFile: '', failures: ['no data: give --data-dir, the folder holding uci-bank-marketing/ and uci-default-credit-card-clients/'] };
  }
  const seed = options.seed ?? DEFAULT_EVAL_SEED;
  const failures: string[] = [];
  const files: string[] = [];
  for (const kind of ['response', 'risk'] as const) {
    const outcome = await runOne(kind, options.dataDir, seed, log);
    failures.push(...outcome.failures.map((f) => `${kind}: ${f}`));
    if (outcome.resultFile) files.push(outcome.resultFile);
  }
  return { name: 'eval', resultFile: files.join(', '), failures };
}
