import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import { datasetFromTable, type EvalSpec, readCsvTable, stratifiedSplit, TEST_FRACTION } from '../src/decisioning/models/index.js';

/**
 * The eval benchmark's peer in the same run: scikit-learn's HistGradientBoostingClassifier (the
 * issue's reference model) fitted and scored on exactly the rows `recoup eval` trained and tested on
 * (bench/peers/sklearn_hgb.py). The reference figures in the issue come from scikit-learn's own
 * split, and AUC moves by about 0.01 from one split to another; on one split, only the model differs.
 * Needs a python3 with scikit-learn (Debian: apt-get install python3-sklearn); without one the peer
 * is skipped and the report says so.
 */
export type PeerResult = { auc: number; fitSeconds: number; version: string } | { skipped: string };

// `python3` first; Debian's own interpreter is where python3-sklearn installs, even when another python3 comes first on PATH.
const INTERPRETERS = [process.env.RECOUP_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));

function pythonWithSklearn(): string | undefined {
  return INTERPRETERS.find((python) => spawnSync(python, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' }).status === 0);
}

export async function sklearnPeer(file: string, spec: EvalSpec, seed: number): Promise<PeerResult> {
  const python = pythonWithSklearn();
  if (!python) return { skipped: `no python3 with scikit-learn and numpy among ${INTERPRETERS.join(', ')} (Debian: apt-get install python3-sklearn)` };
  const table = await readCsvTable(file);
  if (!table.ok) return { skipped: table.error.message };
  const data = datasetFromTable(table.value, spec);
  if (!data.ok) return { skipped: data.error.message };
  // The same call evaluateDataset makes, so the peer's test rows are this run's test rows.
  const split = stratifiedSplit(data.value.target, TEST_FRACTION, seed);
  const job = { csv: file, rows: data.value.rows, features: spec.features, target: spec.target, test: Array.from(split.test), seed };
  // One thread, as this project's GBM fits: on a shared two-core machine OpenMP's spinning threads
  // made the peer's fit several times slower than alone, which says nothing about either model.
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const run = spawnSync(python, [join(packageRoot(), 'bench', 'peers', 'sklearn_hgb.py')], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 20, env });
  if (run.status !== 0) return { skipped: `the scikit-learn peer failed: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)}` };
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PeerResult;
}
