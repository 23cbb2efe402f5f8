import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';

/**
 * `recoup eval` on the real UCI files, through the compiled CLI. The data live beside the repository
 * (../shared/data), not in it: where they are absent the suite is skipped and its title says why.
 */
const DATA_DIR = join(import.meta.dirname, '..', '..', 'shared', 'data');
const BANK = join(DATA_DIR, 'uci-bank-marketing', 'bank-additional-full.csv');
const CREDIT = join(DATA_DIR, 'uci-default-credit-card-clients', 'default_of_credit_card_clients.csv');
const present = existsSync(BANK) && existsSync(CREDIT);

const run = promisify(execFile);

async function evalJson(kind: string, file: string) {
  const { stdout } = await run(process.execPath, [CLI, 'eval', kind, '--data', file, '--json'], { timeout: 60_000 });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { auc: number; fitSeconds: number; rows: number; baselineAuc: number };
}

describe.skipIf(!present)(`recoup eval on the UCI files${present ? '' : ` (skipped: no data at ${DATA_DIR})`}`, () => {
  // Floors well under the recorded figures (bench/results/eval-*.json): this guards against a broken
  // model, not against the second decimal, which moves with the split.
  it('response on Bank Marketing: the GBM beats the logistic baseline', async () => {
    const result = await evalJson('response', BANK);
    expect(result.rows).toBe(41188);
    expect(result.auc).toBeGreaterThan(0.79);
    expect(result.auc).toBeGreaterThan(result.baselineAuc);
    expect(result.fitSeconds).toBeLessThan(10);
  });

  it('risk on Taiwan credit default: the GBM beats the logistic baseline', async () => {
    const result = await evalJson('risk', CREDIT);
    expect(result.rows).toBe(30000);
    expect(result.auc).toBeGreaterThan(0.77);
    expect(result.auc).toBeGreaterThan(result.baselineAuc);
    expect(result.fitSeconds).toBeLessThan(10);
  });
});
