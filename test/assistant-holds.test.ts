import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';
import { assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

const DAY = 24 * 60;

/** Flows that change what collection does: promises, grace, already-paid claims, disputes, unsubscribe. */
describe.each(DATABASE_KINDS)('assistant flows that hold collection (%s)', (kind) => {
  let h: Harness;
  const provider = recordingProvider('test');
  const sentTo = (customerId: string) => provider.received.filter((m) => m.customerId === customerId);
  const promisesOf = (customerId: string) =>
    h.app.db.selectFrom('promises_to_pay').select(['external_id', 'amount_minor', 'currency', 'promised_for', 'status', 'source']).where('customer_id', '=', customerId).orderBy('created_at').execute();

  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: assistantPolicy({ maxDays: 10, maxGrants: 1, windowDays: 90 }) }, { providerFor: () => provider });
  });
  afterAll(async () => h?.close());

  it('a promise asked on SMS and dated on the app is recorded, holds reminders, and is recorded broken when the date passes', async () => {
    const d = await createDebtor(h, 'ptp-1', { identities: { phone: '+14155550121', appUserId: 'app-ptp-1' } });
    await createBill(h, d.externalId, 'ptp-1-a', '120.00', 'USD', '2026-02-20');
    await createBill(h, d.externalId, 'ptp-1-b', '30.00', 'USD', '2026-02-22');
    const ask = await say(h, 'sms', { phone: '+14155550121' }, 'I promise I will pay');
    expect(kinds(ask)).toEqual(['ask_promise_date']);
    const dated = await say(h, 'app', { appUserId: 'app-ptp-1' }, 'next Friday');
    expect(kinds(dated)).toEqual(['promise_recorded']);
    expect(dated.replies[0]!.text).toContain('150.00 USD by 2026-03-06');
    // A bare date is the end of that day where the debtor lives (New York, EST until 8 March).
    expect(await promisesOf(d.id)).toEqual([{ external_id: null, amount_minor: 15_000n, currency: 'USD', promised_for: new Date('2026-03-07T05:00:00Z'), status: 'open', source: 'assistant' }]);
    const sentBefore = sentTo(d.id).length;
    for (let day = 0; day < 5; day++) await h.advance(DAY);
    expect(sentTo(d.id).length).toBe(sentBefore);
    for (let day = 0; day < 3; day++) await h.advance(DAY);
    expect((await promisesOf(d.id))[0]!.status).toBe('broken');
  });

  it('grace within the policy limits: offered, refused past maxDays, granted as a promise, and the second request goes to an agent', async () => {
    const d = await createDebtor(h, 'grace-1', { identities: { phone: '+14155550122' } });
    await createBill(h, d.externalId, 'grace-1-a', '80.00', 'USD', '2026-03-05');
    const from = { phone: '+14155550122' };
    const offer = await say(h, 'sms', from, 'Can I have a few more days?');
    expect(kinds(offer)).toEqual(['grace_offer']);
    expect(offer.replies[0]!.text).toContain('up to 10 extra days');
    const now = h.app.clock.now();
    const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    expect(kinds(await say(h, 'sms', from, `I can pay on ${day(20)}`))).toEqual(['grace_offer']);
    expect(await promisesOf(d.id)).toEqual([]);
    const granted = await say(h, 'sms', from, `I can pay on ${day(7)}`);
    expect(kinds(granted)).toEqual(['grace_granted']);
    const [grace] = await promisesOf(d.id);
    expect(grace).toMatchObject({ amount_minor: 8_000n, status: 'open', source: 'assistant' });
    expect(grace!.external_id).toMatch(/^grace:/);
    const again = await say(h, 'sms', from, 'Can I have a few more days?');
    expect(kinds(again)).toEqual(['grace_unavailable', 'handoff']);
    const queue = await h.call('GET', '/v1/agent/queue');
    expect(queue.body.items.find((i: { customerId: string }) => i.customerId === d.id)).toMatchObject({ state: 'queued', handoffReason: 'grace_needs_agent' });
  });

  it('already paid: asks for the reference, pauses reminders for the configured days, flags the claim for reconciliation', async () => {
    const d = await createDebtor(h, 'paid-1', { locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone: '+8613800138011', wechatOpenId: 'o-paid-1' } });
    await createBill(h, d.externalId, 'paid-1-a', '500.00', 'CNY', '2026-02-01');
    await h.advance(60);
    const ask = await say(h, 'sms', { phone: '+8613800138011' }, '我已经还过了');
    expect(kinds(ask)).toEqual(['ask_payment_reference']);
    expect(ask.replies[0]!.text).toContain('流水号');
    const given = await say(h, 'wechat', { wechatOpenId: 'o-paid-1' }, '流水号 TX-2026-0419');
    expect(kinds(given)).toEqual(['already_paid_noted']);
    const now = h.app.clock.now();
    const conversation = await h.app.db.selectFrom('conversations').selectAll().where('customer_id', '=', d.id).executeTakeFirstOrThrow();
    expect(conversation.reminders_paused_until).toEqual(new Date(now.getTime() + 5 * 86_400_000));
    expect(conversation.reconciliation_flagged_at).toEqual(now);
    const claim = await h.app.db.selectFrom('interaction_events').select('payload').where('customer_id', '=', d.id).where('kind', '=', 'payment.claimed').executeTakeFirstOrThrow();
    expect(claim.payload).toMatchObject({ reference: 'TX-2026-0419', reconcile: true });
    const audit = await h.app.db.selectFrom('audit_log').select('action').where('subject', '=', d.id).execute();
    expect(audit.map((a) => a.action)).toContain('payment.claimed');
    const scheduled = await h.app.db.selectFrom('contact_attempts').select('status').where('customer_id', '=', d.id).where('status', '=', 'scheduled').execute();
    expect(scheduled).toEqual([]);
    const sentBefore = sentTo(d.id).length;
    for (let day = 0; day < 4; day++) await h.advance(DAY);
    expect(sentTo(d.id).length).toBe(sentBefore);
  });

  it('a dispute is opened, its reminders paused, and the conversation handed off; the unsubscribe intent withdraws the channel', async () => {
    const d = await createDebtor(h, 'dsp-1', { identities: { phone: '+14155550123', email: 'dsp-1@example.com' } });
    await createBill(h, d.externalId, 'dsp-1-a', '60.00', 'USD', '2026-02-20');
    const r = await say(h, 'sms', { phone: '+14155550123' }, 'This is a scam, I never bought this');
    expect(kinds(r)).toEqual(['dispute_opened', 'handoff']);
    const disputes = await h.app.db.selectFrom('disputes').select(['status', 'reason']).where('customer_id', '=', d.id).execute();
    expect(disputes).toEqual([{ status: 'open', reason: 'This is a scam, I never bought this' }]);
    expect((await h.call('GET', `/v1/conversations/${d.id}`)).body).toMatchObject({ state: 'queued', handoffReason: 'dispute' });

    const u = await createDebtor(h, 'unsub-1', { identities: { email: 'unsub-1@example.com' } });
    const bye = await say(h, 'email', { email: 'unsub-1@example.com' }, 'Please stop messaging me');
    expect(kinds(bye)).toEqual(['unsubscribed']);
    expect((await h.call('GET', `/v1/customers/${u.id}`)).body.consents).toMatchObject({ email: false });
  });
});
