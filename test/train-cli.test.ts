import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { CLI, tempDir } from './support/cli.js';
import { NOISE_ARMS, seedContactHistory } from './support/outcome-history.js';

const run = promisify(execFile);

/** `recoup train …` on an embedded database in `dataDir`, on a virtual clock standing at `now`. */
async function train(dataDir: string, now: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: '', RECOUP_DATA_DIR: dataDir, RECOUP_CLOCK: 'virtual', RECOUP_CLOCK_START: now, RECOUP_LOG_LEVEL: 'warn' };
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'train', ...args], { env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function storedVersions(dataDir: string): Promise<{ kind: string; version: number; role: string }[]> {
  const handle = await openDatabase({ dataDir });
  try {
    return await handle.db.selectFrom('model_versions').select(['kind', 'version', 'role']).orderBy('version').execute();
  } finally {
    await handle.close();
  }
}

// Each run starts a process that opens (and, the first time, creates) an embedded database.
describe('recoup train', { timeout: 600_000 }, () => {
  const empty = tempDir('recoup-train-empty-');
  const seeded = tempDir('recoup-train-');
  let after = '';

  beforeAll(async () => {
    // The history is written through the app itself into an embedded database the CLI then opens.
    const config = loadConfig({ dataDir: seeded, secretKey: generateSecret(), logLevel: 'silent', clock: { mode: 'virtual', start: '2026-03-01T00:00:00.000Z' }, training: { retrainHours: 0 } }, {});
    const app = await createApp(config, { logger: pino({ level: 'silent' }) });
    try {
      await seedContactHistory(app, { prefix: 'cli', customers: 300, arms: NOISE_ARMS, seed: 21, firstDay: '2026-03-02' });
      after = app.clock.now().toISOString();
    } finally {
      await app.close();
    }
  });

  it('refuses bad flags in one line', async () => {
    const kind = await train(empty, '2026-03-01T00:00:00Z', ['--kind', 'churn']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toBe('recoup: --kind must be response or risk, not "churn"; usage: recoup train [--kind response|risk] [--label-days N] [--json]\n');
    const days = await train(empty, '2026-03-01T00:00:00Z', ['--label-days', 'a week']);
    expect(days.code).toBe(2);
    expect(days.stderr).toBe('recoup: --label-days must be a whole number of days from 1 to 90, got "a week"\n');
  });

  it('refuses to train on too little data, saying how much is needed, and stores nothing', async () => {
    const result = await train(empty, '2026-03-01T00:00:00Z', ['--kind', 'response']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('recoup: too little data: 0 sent contact attempts with a known outcome, need at least 200\n');
    expect(await storedVersions(empty)).toEqual([]);
  });

  it('trains, prints rows, AUCs, fit time and the promotion as one JSON line, then keeps the champion on a second run', async () => {
    const first = await train(seeded, after, ['--kind', 'response', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!) as { models: Record<string, unknown>[] };
    expect(report.models).toHaveLength(1);
    expect(report.models[0]).toMatchObject({ kind: 'response', version: 1, rows: 300, promoted: true, role: 'champion', championAuc: null, reason: 'no champion yet' });
    for (const field of ['auc', 'baselineAuc', 'fitSeconds']) expect(typeof report.models[0]![field]).toBe('number');

    // Both kinds: the response model is refitted (no better on the same data), the risk model is refused.
    const second = await train(seeded, after, []);
    expect(second.code).toBe(2);
    expect(second.stdout).toMatch(/^response v2: 300 rows from 2026-03-0\d to 2026-03-1\d, [\d.]+% positive; seeded stratified split: 240 train, 60 held out\n/);
    expect(second.stdout).toMatch(/\n {2}gradient boosting ROC AUC [\d.]+ {3}fit [\d.]+ s {3}\d+ trees {3}logistic baseline [\d.]+ {3}champion on the same hold-out [\d.]+\n/);
    expect(second.stdout).toMatch(/\n {2}kept as challenger: AUC [\d.]+ does not beat the champion's [\d.]+ on the same hold-out\n$/);
    expect(second.stderr).toMatch(/^recoup: risk: (a single class|too few of one class): .*300 receivables that fell due unpaid/);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(await storedVersions(seeded)).toEqual([
      { kind: 'response', version: 1, role: 'champion' },
      { kind: 'response', version: 2, role: 'challenger' },
    ]);
  });
});
