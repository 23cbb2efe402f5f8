#!/usr/bin/env node
import { ConfigError } from '../config.js';
import { runAudit } from './audit-command.js';
import { runBench } from './bench-command.js';
import { runEval } from './eval-command.js';
import { runImport } from './import-command.js';
import { runMigrate } from './migrate-command.js';
import { runNlu } from './nlu-command.js';
import { runServe } from './serve-command.js';
import { runSimulate } from './simulate-command.js';
import { runTrain } from './train-command.js';
import { UsageError } from './usage-error.js';
import { runWorker } from './worker-command.js';

/** `recoup <command>`: each command parses its own flags and exits non-zero with a one-line reason. */
const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  serve: { run: runServe, help: 'serve [--port N] [--demo] [--clock virtual] [--no-workers]   API, console and workers' },
  worker: { run: runWorker, help: 'worker                                                    workers only' },
  migrate: { run: runMigrate, help: 'migrate                                                   apply database migrations' },
  import: { run: runImport, help: 'import <file.csv> --kind customers|receivables|payments   bulk load with a per-row error report' },
  eval: { run: runEval, help: 'eval response|risk --data FILE [--seed N] [--json]         fit on a stratified 80/20 split, print ROC AUC' },
  simulate: { run: runSimulate, help: 'simulate --customers N --days D --policy ai|baseline --seed S [--out DIR] [--json]   backtest on a virtual clock' },
  train: { run: runTrain, help: 'train [--kind response|risk] [--label-days N] [--json]    refit the decisioning models from recorded outcomes' },
  nlu: { run: runNlu, help: 'nlu eval --train FILE --test FILE [--text-col C --label-col C] [--json]   intent accuracy and macro-F1' },
  audit: { run: runAudit, help: 'audit verify                                              check the audit log hash chain' },
  bench: { run: runBench, help: 'bench [--only NAME] [--rows N] [--data-dir DIR]           run benchmarks, write bench/results/*.json' },
};

function usage(): string {
  return ['usage: recoup <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  ${c.help}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`recoup: unknown command ${JSON.stringify(name)}\n${usage()}\n`);
    return 2;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`recoup: ${(error as Error).message}\n`);
    if (!known && process.env.RECOUP_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
