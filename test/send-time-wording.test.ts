import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

const DAY_MS = 86_400_000;
const PAY_LINK = /https?:\/\/\S+\/p\/([A-Za-z0-9_-]{40})/;

/**
 * The planner stores what a reminder is to say (its draft); delivery words it when it sends, with
 * links signed then. Until then, reads of the message show its draft rendered as a preview.
 */
describe.each(DATABASE_KINDS)('reminders worded at send time on %s', (kind) => {
  let h: Harness;
  const provider = recordingProvider('recording');
  let customerId: string;
  let plannedAt: Date;

  const attempts = () => h.app.db.selectFrom('contact_attempts').selectAll().where('customer_id', '=', customerId).where('channel', '=', 'sms').execute();

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() }, { providerFor: () => provider });
    // 03:00 UTC is 22:00 in New York, after contact hours: the reminder planned now waits for the morning.
    await h.advance(180);
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'stw-c', name: 'Dana Reyes', locale: 'en', timezone: 'America/New_York', identities: { phone: '+12125550188' }, consents: { sms: true } } },
        { type: 'receivable', data: { externalId: 'stw-r', customerExternalId: 'stw-c', kind: 'bill', amount: '412.30', currency: 'USD', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    customerId = res.body.results[0].id;
    await h.advance(60);
    plannedAt = h.app.clock.now();
  });
  afterAll(async () => h?.close());

  it('plans a draft with the facts and no words or links, and shows it rendered as a preview', async () => {
    const [planned] = await attempts();
    expect(planned?.status).toBe('scheduled');
    expect(planned!.due_at.getTime()).toBeGreaterThan(plannedAt.getTime() + 3_600_000);
    const content = planned!.content as { text?: string; locale: string; draft: { templateId: string; items: Array<{ amountMinor: string; currency: string }>; payLink?: string | null } };
    expect(content.text).toBeUndefined();
    expect(content.locale).toBe('en');
    expect(content.draft.items).toEqual([expect.objectContaining({ amountMinor: '41230', currency: 'USD' })]);
    expect(content.draft.payLink).toBeUndefined();
    expect(JSON.stringify(content)).not.toMatch(PAY_LINK);

    const listed = await h.call('GET', `/v1/messages?customerId=${customerId}&channel=sms`);
    expect(listed.body.items[0].text).toContain('$412.30');
    expect(listed.body.items[0].text).not.toMatch(PAY_LINK);
    const view = await h.call('GET', `/v1/customers/${customerId}`);
    const entry = view.body.timeline.find((e: { kind: string }) => e.kind === 'message.scheduled');
    expect(entry.summary.text).toContain('$412.30');
    expect(entry.summary.draft).toBeUndefined();
  });

  it('words the draft when it sends it, with the balance then and a pay link signed then, and stores the words it sent', async () => {
    // A partial payment after planning leaves the reminder scheduled; the words state what is owed now.
    const paid = await h.call('POST', '/v1/events:batch', { items: [{ type: 'payment', data: { externalId: 'stw-p1', receivableExternalId: 'stw-r', amount: '100.00', currency: 'USD', paidAt: h.app.clock.now().toISOString() } }] });
    expect(paid.body.counts.created).toBe(1);
    expect((await attempts())[0]?.status).toBe('scheduled');
    for (let hour = 0; hour < 24 && provider.received.length === 0; hour++) await h.advance(60);
    expect(provider.received).toHaveLength(1);
    const sent = provider.received[0]!;
    expect(sent.content.text).toContain('$312.30');
    expect(sent.content.text).not.toContain('$412.30');
    const token = PAY_LINK.exec(sent.content.text)![1]!;
    // Valid 60 days from the send, hours after planning: a link signed at planning would have expired.
    expect(h.app.payLinks.verify(token, new Date(plannedAt.getTime() + 60 * DAY_MS + 60_000))).toBe(customerId);

    const [stored] = await attempts();
    expect(stored?.status).toBe('sent');
    expect(stored!.content).toMatchObject({ text: sent.content.text, locale: 'en', rendering: { templateId: 'reminder-sms' } });
    expect((stored!.content as { draft?: unknown }).draft).toBeUndefined();
    const listed = await h.call('GET', `/v1/messages?customerId=${customerId}&channel=sms`);
    expect(listed.body.items[0].text).toBe(sent.content.text);
  });

  it('cancels, unsent, a reminder whose debts were settled after it was planned but not cancelled with it', async () => {
    // The payment path cancels only attempts not yet claimed; one claimed as the payment commits
    // reaches the sender with nothing owed. A receivable settled behind the queue's back stands in for it.
    const before = provider.received.length;
    const now = h.app.clock.now();
    const settled = await h.app.db.selectFrom('receivables').select('id').where('external_id', '=', 'stw-r').executeTakeFirstOrThrow();
    await h.app.db
      .insertInto('contact_attempts')
      .values({
        idempotency_key: 'stw-settled', customer_id: customerId, receivable_ids: [settled.id], channel: 'sms', decision: '{}' as never, status: 'scheduled', due_at: now, created_at: now, updated_at: now,
        content: JSON.stringify({ locale: 'en', draft: { channel: 'sms', stage: 'm1', templateId: 'reminder-sms', variant: null, locale: 'en', timezone: 'America/New_York', name: null, now: now.toISOString(), items: [{ amountMinor: '31230', currency: 'USD', dueAt: '2026-02-21T04:59:59.999Z' }] } }) as never,
      })
      .execute();
    await h.app.db.updateTable('receivables').set({ paid_minor: 41230n, status: 'paid' }).where('id', '=', settled.id).execute();
    await h.advance(1);
    const row = await h.app.db.selectFrom('contact_attempts').selectAll().where('idempotency_key', '=', 'stw-settled').executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.last_error).toBe('paid before it was sent');
    expect(provider.received.length).toBe(before);
  });

  it('fails a draft that cannot be worded, with the reason, and sends nothing', async () => {
    const before = provider.received.length;
    const now = h.app.clock.now();
    await h.app.db
      .insertInto('contact_attempts')
      .values({ idempotency_key: 'stw-damaged', customer_id: customerId, channel: 'sms', content: JSON.stringify({ locale: 'en', draft: { channel: 'sms' } }) as never, decision: '{}' as never, status: 'scheduled', due_at: now, created_at: now, updated_at: now })
      .execute();
    await h.advance(1);
    const damaged = await h.app.db.selectFrom('contact_attempts').selectAll().where('idempotency_key', '=', 'stw-damaged').executeTakeFirstOrThrow();
    expect(damaged.status).toBe('failed');
    expect(damaged.last_error).toMatch(/^the message could not be worded: /);
    expect(provider.received.length).toBe(before);
  });
});
