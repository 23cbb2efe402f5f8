import { parseArgs } from 'node:util';
import { DEFAULT_INTENT_MODEL_OPTIONS, evaluateIntentModel, type IntentModelOptions, type NluEvalReport, readLabelledCsv, SHIPPED_MODEL_OPTIONS } from '../conversation/nlu/index.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recoup nlu eval --train FILE --test FILE [--text-col C --label-col C] [--json]';

interface NluEvalArgs {
  train: string;
  test: string;
  textColumn: string;
  labelColumn: string | undefined;
  json: boolean;
}

function parseNluArgs(args: string[]): NluEvalArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { train: { type: 'string' }, test: { type: 'string' }, 'text-col': { type: 'string' }, 'label-col': { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'eval') {
    throw new UsageError(`nlu takes one subcommand, eval${positionals.length ? `, not ${JSON.stringify(positionals.join(' '))}` : ''}; ${USAGE}`);
  }
  if (!values.train) throw new UsageError(`--train FILE is required; ${USAGE}`);
  if (!values.test) throw new UsageError(`--test FILE is required; ${USAGE}`);
  for (const flag of ['text-col', 'label-col'] as const) {
    if (values[flag] !== undefined && !values[flag].trim()) throw new UsageError(`--${flag} must name a column`);
  }
  return { train: values.train, test: values.test, textColumn: values['text-col'] ?? 'text', labelColumn: values['label-col'], json: values.json };
}

function describe(report: NluEvalReport, args: NluEvalArgs, model: IntentModelOptions): string {
  const network = model.mlp ? `, its probabilities averaged with a ${model.mlp.hidden}-unit one-hidden-layer network's` : '';
  const fallback = model.fallback ? ', out_of_scope under the confidence threshold' : '';
  return [
    `intent classifier: TF-IDF word 1-3-grams and character n-grams, a Crammer-Singer multiclass linear SVM${network}${fallback}`,
    `train: ${args.train}: ${report.trainRows} rows; test: ${args.test}: ${report.testRows} rows; ${Object.keys(report.perLabel).length} labels`,
    `accuracy ${report.accuracy.toFixed(4)}   macro-F1 ${report.macroF1.toFixed(4)}   train ${report.trainSeconds.toFixed(2)} s   p99 latency ${report.p99Ms.toFixed(3)} ms (CPU ${report.p99CpuMs.toFixed(3)} ms)`,
  ].join('\n');
}

/** `recoup nlu eval`: train the intent classifier on one CSV and score it on another. */
export async function runNlu(args: string[]): Promise<number> {
  const options = parseNluArgs(args);
  const train = readLabelledCsv(options.train, options.textColumn, options.labelColumn);
  if (!train.ok) throw new UsageError(train.reason);
  const test = readLabelledCsv(options.test, options.textColumn, options.labelColumn);
  if (!test.ok) throw new UsageError(test.reason);
  // A corpus with an out_of_scope class is evaluated as the assistant runs it: with the threshold.
  const outOfScope = train.examples.some((e) => e.label === 'out_of_scope');
  const model = outOfScope ? SHIPPED_MODEL_OPTIONS : DEFAULT_INTENT_MODEL_OPTIONS;
  const report = evaluateIntentModel(train.examples, test.examples, model);
  process.stdout.write(`${describe(report, options, model)}\n`);
  if (options.json) {
    const { accuracy, macroF1, trainSeconds, p99Ms, p99CpuMs, perLabel, trainRows, testRows } = report;
    process.stdout.write(`${JSON.stringify({ accuracy, macroF1, trainSeconds, p99Ms, p99CpuMs, perLabel, trainRows, testRows })}\n`);
  }
  return 0;
}
