import { finished } from 'node:stream/promises';
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './database.js';

/**
 * Rows written through COPY into a per-connection staging table, then moved on by one statement in
 * the same transaction (an `insert … select … on conflict`, which COPY itself cannot do). Perf: for a
 * page of planned attempts, PostgreSQL spent 40% less CPU than unpacking the same rows from one jsonb
 * document with jsonb_to_recordset (interleaved A/B, 120,000 attempts: 5.6 s against 9.3 s), which
 * parses the whole document and then converts every field again. Over bench/dispatch's million
 * cases PostgreSQL's CPU fell by about a quarter (63-67 s against 82-95 s in interleaved runs); the
 * wall time did not move, since planning is then bound by this process. Only the PostgreSQL driver
 * speaks COPY here; callers keep their one-statement path for PGlite (copyPoolOf gives undefined there).
 */

const POOLS = new WeakMap<Db, pg.Pool>();

/** Marks a PostgreSQL connection pool's Kysely instance (database.ts). */
export function registerCopyPool(db: Db, pool: pg.Pool): void {
  POOLS.set(db, pool);
}

export function copyPoolOf(db: Db): pg.Pool | undefined {
  return POOLS.get(db);
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A field in COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value;
}

/**
 * A JSON document (JSON.stringify's output) as a COPY text field. JSON text never holds a raw tab,
 * newline or carriage return (it escapes every control character), so only its backslashes need
 * doubling; looking for those alone is several times cheaper than copyField's pattern on the longest
 * fields of a row (bench/dispatch).
 */
export function copyJsonField(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/**
 * Lines of COPY text (each ending in a newline) as one buffer, encoded in one pass. A UTF-16 code
 * unit never takes more than three bytes of UTF-8, so three bytes a unit always suffice; the buffer
 * lives outside the JavaScript heap and only until the write is done. Perf: measuring each line
 * first (Buffer.byteLength) encoded every line twice (bench/dispatch).
 */
export function copyText(lines: readonly string[]): Buffer {
  let units = 0;
  for (const line of lines) units += line.length;
  const buffer = Buffer.allocUnsafeSlow(units * 3);
  let at = 0;
  for (const line of lines) at += buffer.write(line, at);
  return buffer.subarray(0, at);
}

/** A temporary table that lives as long as its connection and is emptied at every commit. */
export interface StagingTable {
  name: string;
  /** Column definitions, in the order the COPY text gives them. */
  columns: string;
}

/**
 * COPY `text` into `stage`, run `statement` (which reads the staged rows) and commit; the rows it
 * returns. On any failure the transaction is rolled back, so nothing of the rows is kept.
 */
export async function copyThenRun<R>(pool: pg.Pool, stage: StagingTable, text: Buffer, statement: CompiledQuery): Promise<R[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip for both (no parameters, so one simple-protocol message). The table is made in
    // the transaction that first needs it, so it exists however connections are handed out.
    await client.query(`begin; create temporary table if not exists ${stage.name} (${stage.columns}) on commit delete rows`);
    const copy = client.query(copyFrom(`copy ${stage.name} from stdin`));
    copy.end(text);
    await finished(copy);
    const result = await client.query(statement.sql, statement.parameters as unknown[]);
    await client.query('commit');
    return result.rows as R[];
  } catch (error) {
    // Outside a transaction (begin itself failed) this only warns; either way nothing is kept.
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that could not even roll back is closed rather than handed to the next caller.
    client.release(broken);
  }
}
