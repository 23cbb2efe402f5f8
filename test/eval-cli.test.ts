import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from './support/cli.js';

const run = promisify(execFile);

/** Runs `recoup eval …` expecting failure: the exit code and what it printed to stderr. */
async function failing(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [CLI, 'eval', ...args], { timeout: 30_000 });
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error('expected recoup eval to fail');
}

describe('recoup eval bad input', () => {
  it('needs a model name and --data', async () => {
    const noData = await failing(['response']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/^recoup: --data FILE is required; usage: recoup eval/);
    const wrongKind = await failing(['churn', '--data', 'x.csv']);
    expect(wrongKind.stderr).toMatch(/eval takes one model name, response or risk, not "churn"/);
  });

  it('names the missing columns of the file in one line', async () => {
    const file = join(tempDir('recoup-eval-'), 'contacts.csv');
    writeFileSync(file, '"age";"job";"y"\n30;"admin.";"no"\n');
    const { code, stderr } = await failing(['response', '--data', file]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/missing columns: "marital", "education", .*"euribor3m", "nr\.employed"/);
  });

  it('says so when the file is not there', async () => {
    const { code, stderr } = await failing(['risk', '--data', '/nonexistent/credit.csv']);
    expect(code).toBe(2);
    expect(stderr).toBe('recoup: cannot read /nonexistent/credit.csv: no such file\n');
  });
});
