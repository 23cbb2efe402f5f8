import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema.js';
import { acceptsBinaryParameters } from './json-rows.js';
import { registerCopyPool } from './copy-rows.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8_OID = 20;
const parseInt8 = (value: string): bigint => BigInt(value);

/**
 * PostgreSQL when a URL is given, otherwise embedded PGlite in `dataDir` (or in memory when dataDir is
 * 'memory://'). Both parse int8 to bigint, so money never passes through a JS number.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number; onIdleError?: (error: Error) => void }): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client the server drops (restart, failover) emits 'error' on the pool; unheard, that
    // would crash the process. The pool replaces the client; the next query reports any lasting fault.
    pool.on('error', (error) => options.onIdleError?.(error));
    // Fail at boot, with the reason, rather than at the first request.
    const client = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(`cannot connect to PostgreSQL (DATABASE_URL): ${error.message}`);
    });
    client.release();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    acceptsBinaryParameters(db);
    registerCopyPool(db, pool);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? './.recoup';
  let location: string | undefined;
  if (dataDir !== 'memory://') {
    location = join(resolve(dataDir), 'pgdata');
    mkdirSync(location, { recursive: true });
  }
  const pglite = await PGlite.create({ dataDir: location, parsers: { [INT8_OID]: parseInt8 } });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
