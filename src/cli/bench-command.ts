import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** What every benchmark module in bench/ exports: run it, write its result file, name the targets it missed. */
interface Benchmark {
  run(options: { rows?: number; dataDir?: string }): Promise<{ name: string; resultFile: string; failures: string[] }>;
}

// Loaded only when asked for: the compiled benchmarks live beside the compiled CLI (dist/src/cli → dist/bench).
const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  ingest: () => import('../../bench/ingest.js'),
  dispatch: () => import('../../bench/dispatch.js'),
  eval: () => import('../../bench/eval.js'),
  compliance: () => import('../../bench/compliance.js'),
  analytics: () => import('../../bench/analytics.js'),
};

function parseRows(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--rows must be a positive whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseFlags(args: string[]): { only?: string; rows?: string; 'data-dir'?: string } {
  try {
    return parseArgs({ args, options: { only: { type: 'string' }, rows: { type: 'string' }, 'data-dir': { type: 'string' } }, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs throws a TypeError; the CLI reports bad flags as usage errors, in one line.
    throw new UsageError((error as Error).message);
  }
}

/** `recoup bench [--only NAME] [--rows N] [--data-dir DIR]`: 0 when every target is met, 1 when one is missed. */
export async function runBench(args: string[]): Promise<number> {
  const values = parseFlags(args);
  const rows = parseRows(values.rows);
  if (values.only !== undefined && !(values.only in BENCHMARKS)) {
    throw new UsageError(`--only must be one of ${Object.keys(BENCHMARKS).join(', ')}, got ${JSON.stringify(values.only)}`);
  }
  const dataDir = values['data-dir'];
  if (values.only === 'eval' && dataDir === undefined) throw new UsageError('bench --only eval needs --data-dir DIR, the folder holding the UCI data sets');
  // The model benchmark reads data the project does not ship: without a folder for it, it is skipped, and says so.
  const names = (values.only ? [values.only] : Object.keys(BENCHMARKS)).filter((name) => name !== 'eval' || dataDir !== undefined);
  if (values.only === undefined && dataDir === undefined) process.stderr.write('bench: eval skipped: no --data-dir\n');
  const missed: string[] = [];
  for (const name of names) {
    const benchmark = await BENCHMARKS[name]!();
    const outcome = await benchmark.run({ rows, dataDir });
    missed.push(...outcome.failures.map((failure) => `${outcome.name}: ${failure}`));
  }
  for (const line of missed) process.stderr.write(`bench: target missed: ${line}\n`);
  return missed.length > 0 ? 1 : 0;
}
