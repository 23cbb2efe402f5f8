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

// Room for a planning page's attempts (about 2.5 MB for 2,000) without growing. Pages of the buffer
// never written are never made resident, so the room costs address space only. Perf: grown by
// doubling from 64 KB, the freed smaller buffers stayed in the allocator's heap, and peak RSS while
// planning a million cases in two threads rose from about 600 to 880 MiB (bench/dispatch).
const INITIAL_BYTES = 8 * 1024 * 1024;

/**
 * COPY text built a line at a time into one buffer outside the JavaScript heap. A UTF-16 code unit
 * never takes more than three bytes of UTF-8, so room for three bytes a unit is made before each line
 * is encoded in one pass. Perf: measuring each line first (Buffer.byteLength) encoded every line
 * twice. And kept as objects until their page was done, a page's planned attempts survived the
 * young-generation collections meanwhile, each of which copied them: encoded as each debtor is
 * planned, a million cases planned in 54-59 s instead of 60-67 s in adjacent runs, and V8's default
 * young generation collected as cheaply as one eight times its size (bench/dispatch).
 */
export class CopyTextBuilder {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Appends `line`, which ends in its own newline. */
  append(line: string): void {
    const room = line.length * 3;
    if (this.used + room > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.used + room));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(line, this.used);
  }

  get byteLength(): number {
    return this.used;
  }

  /** The text so far; the builder must not be appended to afterwards. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
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
