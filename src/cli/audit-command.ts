import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AuditVerification, verifyAuditChain } from '../compliance/audit-log.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recoup audit verify [--json]';
const NO_DATABASE = 'no Recoup database here (set RECOUP_DATA_DIR or DATABASE_URL, or run recoup migrate)';

function describe(result: AuditVerification): string {
  if (result.ok) return `audit log OK: ${result.entries} entries checked, the hash chain holds`;
  return `audit log BROKEN at seq ${result.brokenAt}: ${result.reason} (${result.entries} entries checked)`;
}

/**
 * `recoup audit verify`: walks the hash chain of the configured database without migrating or
 * writing anything, so it can be pointed at a copy taken for an investigation. Exit 1 when broken.
 */
export async function runAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    const got = positionals.join(' ');
    throw new UsageError(`audit takes one subcommand, verify${got ? `, not ${JSON.stringify(got)}` : ''}; ${USAGE}`);
  }
  const config = loadConfig();
  // Opening an embedded database that is not there would create an empty one, and call it intact.
  if (!config.databaseUrl && !existsSync(join(resolve(config.dataDir), 'pgdata'))) throw new UsageError(NO_DATABASE);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const exists = await handle.db.selectFrom('recoup_migrations' as never).select('name' as never).limit(1).execute().then(
      () => true,
      () => false,
    );
    if (!exists) throw new UsageError(NO_DATABASE);
    const result = await verifyAuditChain(handle.db);
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${describe(result)}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}
