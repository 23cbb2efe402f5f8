import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

/** The 48-bit Unix-millisecond prefix of a version 7 uuid. */
const millisOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
const versionOf = (id: string) => id[14];
const variantOf = (id: string) => id[19];

/**
 * Rows get time-ordered ids (migration 0017), so that rows written together are stored together:
 * version 7, the database's time in the first 48 bits, and later batches sorting after earlier ones.
 */
describe.each(DATABASE_KINDS)('time-ordered ids on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  const batch = (prefix: string) =>
    Array.from({ length: 3 }, (_, i) => [
      { type: 'customer', data: { externalId: `${prefix}-${i}`, locale: 'en', timezone: 'Europe/London' } },
      { type: 'receivable', data: { externalId: `${prefix}-r-${i}`, customerExternalId: `${prefix}-${i}`, kind: 'bill', amount: '10.00', currency: 'GBP', dueAt: '2026-02-20' } },
    ]).flat();

  it('gives customers, receivables and cases version 7 ids that sort in the order they were written', async () => {
    const before = Date.now();
    expect((await h.call('POST', '/v1/events:batch', { items: batch('early') })).status).toBe(200);
    // The prefix counts milliseconds: a pause makes the second batch's certainly later.
    await sleep(5);
    expect((await h.call('POST', '/v1/events:batch', { items: batch('late') })).status).toBe(200);
    const after = Date.now();

    for (const table of ['customers', 'receivables'] as const) {
      const rows = await h.app.db.selectFrom(table).select(['id', 'external_id']).execute();
      expect(rows).toHaveLength(6);
      for (const { id } of rows) {
        expect(versionOf(id)).toBe('7');
        expect(['8', '9', 'a', 'b']).toContain(variantOf(id));
        // The database's clock and this process's are the same machine's; a second's slack either side.
        expect(millisOf(id)).toBeGreaterThanOrEqual(before - 1000);
        expect(millisOf(id)).toBeLessThanOrEqual(after + 1000);
      }
      const early = rows.filter((r) => r.external_id.startsWith('early')).map((r) => r.id);
      const late = rows.filter((r) => r.external_id.startsWith('late')).map((r) => r.id);
      // uuids compare as their bytes, which is also the order of their hex text.
      expect([...early].sort().at(-1)! < [...late].sort()[0]!).toBe(true);
    }
    const cases = await h.app.db.selectFrom('cases').select('id').execute();
    expect(cases).toHaveLength(6);
    for (const { id } of cases) expect(versionOf(id)).toBe('7');
  });
});
