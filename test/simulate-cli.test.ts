import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from './support/cli.js';

const run = promisify(execFile);

/** Runs `recoup simulate …` expecting failure: the exit code and what it printed to stderr. */
async function failing(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [CLI, 'simulate', ...args], { timeout: 60_000 });
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error('expected recoup simulate to fail');
}

const SMALL = ['--customers', '300', '--days', '30', '--seed', '3'];

describe('recoup simulate', () => {
  it('prints KPIs and ends with one JSON line; --out writes report.json and a chart of both policies', async () => {
    const out = join(tempDir('recoup-simulate-'), 'results');
    const { stdout } = await run(process.execPath, [CLI, 'simulate', ...SMALL, '--policy', 'ai', '--compare', '--out', out, '--json'], { timeout: 120_000 });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('simulate: 300 debtors, 30 days, seed 3');
    expect(stdout).toMatch(/^ai +recovered \d+\.\d\d% /m);
    expect(stdout).toMatch(/^baseline +recovered \d+\.\d\d% /m);
    const summary = JSON.parse(lines.at(-1)!);
    expect(Object.keys(summary).sort()).toEqual(['amountOverdue', 'amountRecovered', 'complaints', 'contacts', 'costTotal', 'optOuts', 'policy', 'recoveryRate', 'seed'].sort());
    expect(summary).toMatchObject({ policy: 'ai', seed: 3 });
    for (const key of ['amountOverdue', 'amountRecovered', 'costTotal']) expect(summary[key]).toMatch(/^\d+\.\d\d$/);
    const overdue = BigInt(summary.amountOverdue.replace('.', ''));
    const recovered = BigInt(summary.amountRecovered.replace('.', ''));
    expect(overdue).toBeGreaterThan(0n);
    expect(recovered).toBeLessThanOrEqual(overdue);
    expect(summary.recoveryRate).toBeCloseTo(Number((recovered * 1_000_000n) / overdue) / 1_000_000, 6);
    expect(summary.contacts).toBeGreaterThan(0);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.summaries[0]).toEqual(summary);
    expect(report.summaries.map((s: { policy: string }) => s.policy)).toEqual(['ai', 'baseline']);
    expect(report.runs[0].recoveredByDay).toHaveLength(30);
    expect(report.runs[0].recoveredByDay.at(-1)).toBe(summary.amountRecovered);
    expect(report.comparison).toHaveProperty('recoveryRatio');
    // The learning run estimates the baseline and "wait" from its own logged decisions, before running them.
    expect(stdout).toMatch(/^ +off-policy, paid within 3 days of a decision: learning policy observed \d+\.\d% \(\d+ logged decisions\)/m);
    expect(stdout).toMatch(/^ +baseline +estimated \d+\.\d% doubly robust \(95% /m);
    expect(report.runs[0].offPolicy.candidates.map((c: { name: string }) => c.name)).toEqual(['baseline', 'wait']);
    expect(report.runs[1].offPolicy).toBeUndefined();
    expect(report.setup).toMatchObject({ customers: 300, days: 30, seed: 3, currency: 'CNY' });
    const chart = readFileSync(join(out, 'chart.html'), 'utf8');
    expect(chart).toMatch(/^<!doctype html>/);
    expect(chart.match(/<polyline /g)).toHaveLength(2);
    expect(chart).toMatch(/Off-policy, paid within the outcome window of a decision, estimated doubly robust from \d+ logged decisions/);
    expect(chart).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  }, 180_000);

  it('gives the same figures for the same seed', async () => {
    const once = await run(process.execPath, [CLI, 'simulate', ...SMALL, '--policy', 'baseline', '--json'], { timeout: 60_000 });
    const again = await run(process.execPath, [CLI, 'simulate', ...SMALL, '--policy', 'baseline', '--json'], { timeout: 60_000 });
    expect(again.stdout.trim().split('\n').at(-1)).toBe(once.stdout.trim().split('\n').at(-1));
  }, 180_000);

  it('refuses bad flags with a one-line reason and exit code 2, writing nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--customers', '10', '--days', '30', '--seed', '1'], /^recoup: --policy is required; usage: recoup simulate/],
      [['--customers', '10', '--days', '30', '--seed', '1', '--policy', 'smart'], /^recoup: --policy must be ai or baseline, got "smart"$/],
      [['--customers', 'many', '--days', '30', '--seed', '1', '--policy', 'ai'], /^recoup: --customers must be a whole number from 1 to 1000000, got "many"$/],
      [['--customers', '10', '--days', '1', '--seed', '1', '--policy', 'ai'], /^recoup: --days must be a whole number from 2 to 730, got "1"$/],
      [['--customers', '10', '--days', '30', '--policy', 'ai'], /^recoup: --seed is required/],
      [['--customers', '10', '--days', '30', '--seed', '1', '--policy', 'ai', '--fast'], /Unknown option '--fast'/],
    ];
    const results = await Promise.all(cases.map(([args]) => failing(args)));
    results.forEach(({ code, stderr }, i) => {
      expect(code, stderr).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(cases[i]![1]);
    });
    const file = join(tempDir('recoup-simulate-'), 'taken');
    writeFileSync(file, 'not a directory');
    const outIsFile = await failing([...SMALL, '--policy', 'ai', '--out', file]);
    expect(outIsFile.code).toBe(2);
    expect(outIsFile.stderr).toBe(`recoup: --out must be a directory, and ${file} is a file\n`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
    expect(existsSync(join(file, 'report.json'))).toBe(false);
  }, 180_000);
});
