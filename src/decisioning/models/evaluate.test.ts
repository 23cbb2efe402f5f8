import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../simulation/random.js';
import { RISK_SPEC } from './eval-specs.js';
import { evaluateCsv } from './evaluate.js';

/** A small file in the Taiwan format whose outcome follows PAY_0, so both models must find it. */
function riskCsv(rows: number): string {
  const random = createRandom(5);
  const header = ['ID', ...RISK_SPEC.features.map((f) => f.name), RISK_SPEC.target.name];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const pay0 = random.int(-2, 4);
    const cells = RISK_SPEC.features.map((f) => (f.name === 'PAY_0' ? pay0 : random.int(0, 5)));
    const defaulted = random.chance(pay0 >= 2 ? 0.8 : 0.1) ? 1 : 0;
    lines.push([i + 1, ...cells, defaulted].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('evaluateCsv', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recoup-eval-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fits on 80% and reports AUC on the other 20%', async () => {
    const file = join(dir, 'risk.csv');
    await writeFile(file, riskCsv(3000));
    let tick = 0;
    const result = await evaluateCsv(file, RISK_SPEC, { seed: 42, now: () => (tick += 500) });
    if (!result.ok) throw new Error(result.error.message);
    const r = result.value;
    expect([r.rows, r.trainRows, r.testRows]).toEqual([3000, 2400, 600]);
    expect(r.auc).toBeGreaterThan(0.75);
    expect(r.baselineAuc).toBeGreaterThan(0.7);
    expect(r.fitSeconds).toBe(0.5);
  });

  it('names the missing columns and the file', async () => {
    const file = join(dir, 'short.csv');
    await writeFile(file, 'ID,LIMIT_BAL,SEX\n1,2,3\n');
    const result = await evaluateCsv(file, RISK_SPEC, { seed: 42 });
    expect(!result.ok && result.error.message).toMatch(/short\.csv: missing columns: "EDUCATION", "MARRIAGE", "AGE", "PAY_0",.*"default payment next month"$/);
  });

  it('says when the file does not exist', async () => {
    const result = await evaluateCsv(join(dir, 'nope.csv'), RISK_SPEC, { seed: 42 });
    expect(!result.ok && result.error.message).toMatch(/cannot read .*nope\.csv: no such file/);
  });

  it('refuses a file with one outcome only', async () => {
    const file = join(dir, 'one-class.csv');
    await writeFile(file, riskCsv(300).replace(/,1\n/g, ',0\n'));
    const result = await evaluateCsv(file, RISK_SPEC, { seed: 42 });
    expect(!result.ok && result.error.message).toMatch(/single class/);
  });
});
