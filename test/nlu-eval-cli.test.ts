import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from './support/cli.js';

/**
 * `recoup nlu eval` through the compiled CLI: on the shipped corpus against its held-out set (both
 * languages), on bad input, and on BANKING77 where it lies beside the repository (../shared/data).
 */
const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const corpus = (locale: string) => join(ROOT, 'data', 'nlu', `${locale}.csv`);
const heldOut = (locale: string) => join(ROOT, 'data', 'nlu', 'heldout', `${locale}.csv`);

interface EvalJson {
  accuracy: number;
  macroF1: number;
  trainSeconds: number;
  p99Ms: number;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

async function nluEval(args: string[], timeout = 60_000): Promise<{ text: string; json: EvalJson }> {
  const { stdout } = await run(process.execPath, [CLI, 'nlu', 'eval', ...args, '--json'], { timeout });
  const lines = stdout.trim().split('\n');
  return { text: stdout, json: JSON.parse(lines[lines.length - 1]!) as EvalJson };
}

async function failure(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [CLI, 'nlu', ...args], { timeout: 30_000 });
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
  throw new Error(`recoup nlu ${args.join(' ')} succeeded`);
}

describe('recoup nlu eval on the shipped corpus', () => {
  // Floors under the recorded figures (bench/results/nlu-corpus.json): they catch a broken model.
  it.each(['en', 'zh-CN'])('%s: held-out accuracy, every intent scored, out_of_scope recognised', async (locale) => {
    const { text, json } = await nluEval(['--train', corpus(locale), '--test', heldOut(locale)]);
    expect(text).toMatch(/accuracy 0\.\d{4}\s+macro-F1 0\.\d{4}/);
    expect(json.accuracy).toBeGreaterThan(0.85);
    expect(json.macroF1).toBeGreaterThan(0.85);
    expect(Object.keys(json.perLabel)).toHaveLength(18);
    expect(json.perLabel.out_of_scope!.recall).toBeGreaterThan(0.6);
    expect(json.trainSeconds).toBeGreaterThan(0);
    expect(json.p99Ms).toBeGreaterThan(0);
  });

  it('names the columns with --text-col and --label-col', async () => {
    const dir = tempDir('recoup-nlu-');
    const file = join(dir, 'renamed.csv');
    writeFileSync(file, 'utterance,tag\n"how much do I owe",check_balance\n"send me a pay link",payment_link\n"what is my balance",check_balance\n"how do I pay",payment_link\n');
    const { json } = await nluEval(['--train', file, '--test', file, '--text-col', 'utterance', '--label-col', 'tag']);
    expect(json.accuracy).toBe(1);
  });
});

describe('recoup nlu on bad input: one line, non-zero exit', () => {
  const dir = tempDir('recoup-nlu-bad-');
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  const headerOnly = join(dir, 'header.csv');
  writeFileSync(headerOnly, 'text,intent\n');
  const blankLabel = join(dir, 'blank.csv');
  writeFileSync(blankLabel, 'text,intent\nhello,greeting\nbye,\n');

  it.each([
    [['eval', '--train', join(dir, 'missing.csv'), '--test', empty], /missing\.csv: no such file/],
    [['eval', '--train', empty, '--test', empty], /empty\.csv: no data rows/],
    [['eval', '--train', headerOnly, '--test', headerOnly], /header\.csv: no data rows/],
    [['eval', '--train', blankLabel, '--test', blankLabel], /blank\.csv: row 3 has an empty intent/],
    [['eval', '--train', blankLabel, '--test', blankLabel, '--label-col', 'category'], /no column "category" \(columns: text, intent\)/],
    [['eval', '--train', blankLabel, '--test', blankLabel, '--text-col', 'utterance'], /no column "utterance"/],
    [['eval', '--test', blankLabel], /--train FILE is required/],
    [['eval', '--train', blankLabel], /--test FILE is required/],
    [['train'], /nlu takes one subcommand, eval/],
    [['eval', '--train', blankLabel, '--test', blankLabel, '--bogus'], /Unknown option '--bogus'/],
  ])('%j', async (args, reason) => {
    const { code, stderr } = await failure(args as string[]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(reason as RegExp);
  });
});

const BANKING77 = join(ROOT, '..', 'shared', 'data', 'banking77');
const banking = existsSync(join(BANKING77, 'train.csv')) && existsSync(join(BANKING77, 'test.csv'));

describe.skipIf(!banking)(`recoup nlu eval on BANKING77${banking ? '' : ` (skipped: no data at ${BANKING77})`}`, () => {
  it('reaches the recorded accuracy on the 3,080-utterance test set (bench/results/nlu-banking77.json)', async () => {
    const { json } = await nluEval(['--train', join(BANKING77, 'train.csv'), '--test', join(BANKING77, 'test.csv'), '--label-col', 'category'], 300_000);
    expect(json.accuracy).toBeGreaterThanOrEqual(0.91);
    expect(Object.keys(json.perLabel)).toHaveLength(77);
    expect(json.trainSeconds).toBeLessThan(60);
  }, 320_000);
});
