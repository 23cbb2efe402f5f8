import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { CLI, tempDir } from './support/cli.js';
import { createScratchDatabase, DATABASE_KINDS, type ScratchDatabase } from './support/databases.js';

const run = promisify(execFile);

interface Verification {
  ok: boolean;
  entries: number;
  brokenAt?: string;
  reason?: string;
}

/** `recoup audit verify` against one database: exit code, stdout and stderr, whether it passed or not. */
async function verify(env: Record<string, string>, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'audit', 'verify', ...extra], { env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(DATABASE_KINDS)('recoup audit verify (%s)', (kind) => {
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const scratch of scratches) await scratch.drop();
  });

  it('reports an intact chain, then the first entry edited around the trigger, then one deleted', async () => {
    const scratch = kind === 'postgres' ? await createScratchDatabase() : undefined;
    if (scratch) scratches.push(scratch);
    const dataDir = join(tempDir('recoup-audit-'), 'data');
    const env: Record<string, string> = scratch ? { DATABASE_URL: scratch.url } : { RECOUP_DATA_DIR: dataDir };

    const app = await createApp(loadConfig({ dataDir, databaseUrl: scratch?.url, secretKey: generateSecret(), clock: { mode: 'virtual', start: '2026-03-01T00:00:00Z' } }, {}), {
      logger: pino({ level: 'silent' }),
    });
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) await createApiKey(app.db, app.clock, { name, role: 'analyst' }, 'test');
    const rows = await app.db.selectFrom('audit_log').select(['seq', 'details']).orderBy('seq').execute();
    await app.close();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const edited = rows[1]!;
    const deleted = rows[2]!;

    const intact = await verify(env);
    expect(intact).toMatchObject({ code: 0, stderr: '' });
    expect(intact.stdout).toBe(`audit log OK: ${rows.length} entries checked, the hash chain holds\n`);

    const tamper = async (change: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<void>) => {
      const handle = await openDatabase({ databaseUrl: scratch?.url, dataDir });
      try {
        await change(handle.db);
      } finally {
        await handle.close();
      }
    };

    // What a superuser can do: switch the append-only trigger off, rewrite a row, switch it back on.
    await tamper(async (db) => {
      await expect(sql`update audit_log set actor = 'someone else' where seq = ${edited.seq}`.execute(db)).rejects.toThrow(/append-only/);
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
      await sql`update audit_log set details = ${JSON.stringify({ ...edited.details, role: 'admin' })}::jsonb where seq = ${edited.seq}`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    });
    const afterEdit = await verify(env, ['--json']);
    expect(afterEdit.code).toBe(1);
    const editReport = JSON.parse(afterEdit.stdout) as Verification;
    expect(editReport).toEqual({ ok: false, entries: 2, brokenAt: String(edited.seq), reason: 'content does not match its hash: the entry was edited' });

    // Put the edited row back as it was: the chain holds again, which shows the edit alone broke it.
    await tamper(async (db) => {
      await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
      await sql`update audit_log set details = ${JSON.stringify(edited.details)}::jsonb where seq = ${edited.seq}`.execute(db);
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    });
    expect((await verify(env)).code).toBe(0);

    // Replica mode skips ordinary triggers: the other way round the append-only guard.
    await tamper(async (db) => {
      await db.connection().execute(async (connection) => {
        await sql`set session_replication_role = replica`.execute(connection);
        await sql`delete from audit_log where seq = ${deleted.seq}`.execute(connection);
        await sql`set session_replication_role = origin`.execute(connection);
      });
    });
    const afterDelete = await verify(env);
    expect(afterDelete.code).toBe(1);
    const following = rows[3]!.seq;
    expect(afterDelete.stdout).toBe(
      `audit log BROKEN at seq ${following}: previous hash does not match: an entry before it was removed or changed (3 entries checked)\n`,
    );
    // Five process starts, each opening the database: minutes on a loaded machine, not seconds.
  }, 600_000);
});

describe('recoup audit bad input', () => {
  it('names the subcommand it takes, and refuses a directory without a database', async () => {
    const wrong = await verify({ RECOUP_DATA_DIR: tempDir() }, ['extra']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('recoup: audit takes one subcommand, verify, not "verify extra"; usage: recoup audit verify [--json]\n');

    const empty = await verify({ RECOUP_DATA_DIR: join(tempDir(), 'nothing') });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^recoup: no Recoup database here/);
  }, 120_000);
});
