import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField, copyJsonField, copyPoolOf, CopyTextBuilder } from '../src/db/copy-rows.js';
import { attemptBatch, type NewAttempt } from '../src/delivery/attempt-queue.js';
import type { ReasonLists } from '../src/delivery/decision-reasons.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

describe('COPY text fields', () => {
  it('escapes backslash, tab, newline and carriage return, and writes null as \\N', () => {
    expect(copyField('plain "text" 张三')).toBe('plain "text" 张三');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField(null)).toBe('\\N');
  });

  it('doubles only the backslashes of JSON text, which holds no raw tab or line break', () => {
    const json = JSON.stringify({ text: 'tab \t newline \n return \r quote " backslash \\ 张三' });
    expect(json).not.toMatch(/[\t\n\r]/);
    expect(copyJsonField(json)).toBe(copyField(json));
    expect(copyJsonField('{"a":1}')).toBe('{"a":1}');
  });

  it('encodes lines as UTF-8 in one buffer of exactly their length, whatever the characters', () => {
    const lines = ['ascii\t1\n', '张三 08:00–21:00\n', '🙂🙂\n', ''];
    const text = new CopyTextBuilder();
    for (const line of lines) text.append(line);
    const buffer = text.finish();
    expect(buffer.toString('utf8')).toBe(lines.join(''));
    expect(buffer.length).toBe(Buffer.byteLength(lines.join('')));
    expect(new CopyTextBuilder().finish().length).toBe(0);
  });

  it('grows its buffer for lines that outrun the room it began with, and keeps every byte before', () => {
    const text = new CopyTextBuilder(16);
    const lines = Array.from({ length: 200 }, (_, i) => `${i}\t张三 08:00–21:00 🙂 ${'x'.repeat(i)}\n`);
    for (const line of lines) text.append(line);
    expect(text.byteLength).toBe(Buffer.byteLength(lines.join('')));
    expect(text.finish().toString('utf8')).toBe(lines.join(''));
  });
});

type Row = { id: string; idempotency_key: string; customer_id: string; receivable_ids: string[]; channel: string; template_id: string | null; content: unknown; status: string; due_at: Date; max_attempts: number; decision: unknown };

/**
 * The planner's counted insert: on PostgreSQL through COPY and a staging table, on PGlite as one
 * jsonb parameter. Either way every field arrives as given, a key stored already is skipped, and a
 * page that fails leaves nothing behind.
 */
/** The planner's use of a batch: every attempt of a page added, then the one insert built and run. */
function countedInsert(db: Parameters<typeof attemptBatch>[0], now: Date, attempts: NewAttempt[], reasons?: ReasonLists) {
  const batch = attemptBatch(db);
  for (const attempt of attempts) batch.add(attempt);
  return batch.insert(now, reasons);
}

describe.each(DATABASE_KINDS)('counted attempt insert on %s', (kind) => {
  let h: Harness;
  let customerId: string;
  let receivableId: string;
  beforeAll(async () => {
    h = await startHarness(kind);
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'ai-c1', timezone: 'Asia/Shanghai', identities: { phone: '+8613800004401' } } },
        { type: 'receivable', data: { externalId: 'ai-r1', customerExternalId: 'ai-c1', kind: 'bill', amount: '10.00', currency: 'CNY', dueAt: '2026-02-25' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    [customerId, receivableId] = [res.body.results[0].id, res.body.results[1].id];
  });
  afterAll(async () => h?.close());

  const now = () => h.app.clock.now();
  const attempt = (key: string, extra: Partial<NewAttempt> = {}): NewAttempt => ({
    idempotencyKey: key, customerId, receivableIds: [receivableId], channel: 'sms', templateId: 'm1-sms-zh',
    content: { draft: { name: '张三' } }, dueAt: new Date('2026-03-02T10:00:00.123Z'), decision: { rule: 'policy.allowed' }, ...extra,
  });
  const stored = async (keys: string[]) =>
    (await sql<Row>`select * from contact_attempts where idempotency_key = any(${keys}::text[]) order by idempotency_key`.execute(h.app.db)).rows;

  it(kind === 'postgres' ? 'goes through COPY on PostgreSQL' : 'goes as one jsonb parameter on PGlite', () => {
    expect(copyPoolOf(h.app.db) !== undefined).toBe(kind === 'postgres');
  });

  it('stores every field as given, whatever its characters, and counts the new attempts by status', async () => {
    const awkward = 'quote " backslash \\ \\N tab \t newline \n return \r 08:00–21:00 张三 🙂';
    const attempts = [
      attempt('ai-1 \\ \t key', { content: { draft: { name: awkward, items: [{ amountMinor: '1000' }] } }, decision: { reason: awkward, nested: { list: [1, null, true] } } }),
      attempt('ai-2', { templateId: null, receivableIds: [], status: 'blocked', maxAttempts: 3, channel: 'email', content: {}, decision: {} }),
    ];
    expect(await countedInsert(h.app.db, now(), attempts)()).toEqual({ scheduled: 1, blocked: 1 });
    const [first, second] = await stored(['ai-1 \\ \t key', 'ai-2']);
    expect(first).toMatchObject({ idempotency_key: 'ai-1 \\ \t key', customer_id: customerId, receivable_ids: [receivableId], channel: 'sms', template_id: 'm1-sms-zh', status: 'scheduled', max_attempts: 5 });
    expect(first!.content).toEqual(attempts[0]!.content);
    expect(first!.decision).toEqual(attempts[0]!.decision);
    expect(first!.due_at.toISOString()).toBe('2026-03-02T10:00:00.123Z');
    expect(second).toMatchObject({ receivable_ids: [], channel: 'email', template_id: null, status: 'blocked', max_attempts: 3, content: {}, decision: {} });
  });

  it('names each attempt by a version 7 id holding the time it was written, later pages sorting after earlier ones', async () => {
    const millisOf = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    const before = Date.now();
    await countedInsert(h.app.db, now(), [attempt('ai-id-1'), attempt('ai-id-2', { channel: 'email' })])();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await countedInsert(h.app.db, now(), [attempt('ai-id-3', { channel: 'voice' })])();
    const after = Date.now();
    const rows = await stored(['ai-id-1', 'ai-id-2', 'ai-id-3']);
    for (const { id } of rows) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(millisOf(id)).toBeGreaterThanOrEqual(before - 1000);
      expect(millisOf(id)).toBeLessThanOrEqual(after + 1000);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
    expect(millisOf(rows[2]!.id)).toBeGreaterThan(Math.max(millisOf(rows[0]!.id), millisOf(rows[1]!.id)));
  });

  it('skips keys stored already, in the table or earlier in the same page, and does not count them', async () => {
    const before = await stored(['ai-2']);
    const counts = await countedInsert(h.app.db, now(), [attempt('ai-2'), attempt('ai-3'), attempt('ai-3', { channel: 'email' })])();
    expect(counts).toEqual({ scheduled: 1, blocked: 0 });
    expect(await stored(['ai-2'])).toEqual(before);
    expect((await stored(['ai-3']))[0]!.channel).toBe('sms');
  });

  it('writes nothing of a page that fails, neither attempts nor reason lists, and then writes the next page', async () => {
    const reasons = new Map([['ai-reasons-0000000000001', ['never stored']]]);
    const failing = countedInsert(h.app.db, now(), [attempt('ai-4'), attempt('ai-5', { channel: 'fax' as never })], reasons);
    await expect(failing()).rejects.toThrow(/contact_attempts_channel_check/);
    expect(await stored(['ai-4', 'ai-5'])).toEqual([]);
    const lists = await sql<{ n: number }>`select count(*)::int as n from decision_reasons where id = 'ai-reasons-0000000000001'`.execute(h.app.db);
    expect(lists.rows[0]!.n).toBe(0);

    expect(await countedInsert(h.app.db, now(), [attempt('ai-6')])()).toEqual({ scheduled: 1, blocked: 0 });
    expect(await stored(['ai-4', 'ai-5', 'ai-6'])).toHaveLength(1);
  });

  it("does not bring a page's rows back with the next page", async () => {
    await countedInsert(h.app.db, now(), [attempt('ai-7')])();
    await sql`delete from contact_attempts where idempotency_key = 'ai-7'`.execute(h.app.db);
    expect(await countedInsert(h.app.db, now(), [attempt('ai-8')])()).toEqual({ scheduled: 1, blocked: 0 });
    expect((await stored(['ai-7', 'ai-8'])).map((r) => r.idempotency_key)).toEqual(['ai-8']);
  });
});
