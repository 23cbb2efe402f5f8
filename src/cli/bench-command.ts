import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** What every benchmark module in bench/ exports: run it, write its result file, name the targets it missed. */
interface Benchmark {
  run(options: { rows?: number }): Promise<{ name: string; resultFile: string; failures: string[] }>;
}

// Loaded only when asked for: the compiled benchmarks live beside the compiled CLI (dist/src/cli → dist/bench).
const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  ingest: () => import('../../bench/ingest.js'),
  dispatch: () => import('../../bench/dispatch.js'),
};

function parseRows(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--rows must be a positive whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseFlags(args: string[]): { only?: string; rows?: string } {
  try {
    return parseArgs({ args, options: { only: { type: 'string' }, rows: { type: 'string' } }, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs throws a TypeError; the CLI reports bad flags as usage errors, in one line.
    throw new UsageError((error as Error).message);
  }
}

/** `recoup bench [--only NAME] [--rows N]`: 0 when every target is met, 1 when one is missed. */
export async function runBench(args: string[]): Promise<number> {
  const values = parseFlags(args);
  const rows = parseRows(values.rows);
  if (values.only !== undefined && !(values.only in BENCHMARKS)) {
    throw new UsageError(`--only must be one of ${Object.keys(BENCHMARKS).join(', ')}, got ${JSON.stringify(values.only)}`);
  }
  const names = values.only ? [values.only] : Object.keys(BENCHMARKS);
  const missed: string[] = [];
  for (const name of names) {
    const benchmark = await BENCHMARKS[name]!();
    const outcome = await benchmark.run({ rows });
    missed.push(...outcome.failures.map((failure) => `${outcome.name}: ${failure}`));
  }
  for (const line of missed) process.stderr.write(`bench: target missed: ${line}\n`);
  return missed.length > 0 ? 1 : 0;
}
