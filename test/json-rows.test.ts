import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { jsonRowsParameter } from '../src/db/json-rows.js';
import { DATABASE_KINDS } from './support/databases.js';

/** Rows sent as one jsonb parameter arrive whole, whatever their characters, on either database. */
describe.each(DATABASE_KINDS)('rows as one jsonb parameter on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase(kind === 'postgres' ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: 'memory://' });
  });
  afterAll(async () => handle?.close());

  const rows = [
    { name: '张三', note: 'outside 08:00–21:00 local time', items: [{ amountMinor: '4900' }] },
    { name: 'Ada', note: 'quote " backslash \\ newline \n tab \t', items: [] },
    { name: 'Zoë 🙂', note: null, items: [{ amountMinor: '1' }, { amountMinor: '2' }] },
  ];

  it('goes in binary form to PostgreSQL and as text to PGlite', () => {
    const parameter = jsonRowsParameter(handle.db, rows);
    if (kind === 'postgres') {
      expect(Buffer.isBuffer(parameter)).toBe(true);
      // jsonb's binary form: version 1, then the text.
      expect((parameter as Buffer)[0]).toBe(1);
      expect(JSON.parse((parameter as Buffer).subarray(1).toString('utf8'))).toEqual(rows);
    } else {
      expect(parameter).toBe(JSON.stringify(rows));
    }
  });

  it('unpacks to the same rows, characters beyond Latin-1 and escapes included', async () => {
    const result = await sql<{ name: string; note: string | null; items: unknown }>`
      select x.name, x.note, x.items from jsonb_to_recordset(${jsonRowsParameter(handle.db, rows)}::jsonb) as x(name text, note text, items jsonb)`.execute(handle.db);
    expect(result.rows).toEqual(rows);
  });

  it('unpacks an empty list to no rows', async () => {
    const result = await sql`select * from jsonb_to_recordset(${jsonRowsParameter(handle.db, [])}::jsonb) as x(name text)`.execute(handle.db);
    expect(result.rows).toEqual([]);
  });
});
