import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import type { AttemptStatus, Channel } from '../src/db/schema.js';
import { createBehaviourSegments, MIN_CUSTOMERS_TO_SEGMENT } from '../src/decisioning/live/behaviour-segments.js';
import { type Harness, startHarness } from './support/harness.js';

/**
 * Behaviour segments on a live portfolio, as GET /v1/customers/:id shows them: five groups of
 * debtors who behave in five recognisable ways, written to the tables the product writes (contacts,
 * payments, handoffs, the consent ledger), must come out as five named segments, each debtor in
 * theirs; and a person with few answers of their own is reached when their segment answers.
 * The clock stands at Sunday 1 March 2026; everyone is on UTC.
 */
const PER_GROUP = 12;
const DAY = 86_400_000;
const at = (iso: string, plusHours = 0) => new Date(new Date(iso).getTime() + plusHours * 3_600_000);

describe('behaviour segments in the customer view', () => {
  let h: Harness;
  let serial = 0;
  const members: Record<string, string[]> = {};

  async function customer(group: string): Promise<string> {
    const row = await h.app.db
      .insertInto('customers')
      .values({ external_id: `seg-${serial++}`, locale: 'en', timezone: 'UTC', consents: '{}', attributes: '{}', created_at: at('2025-01-01'), updated_at: at('2025-01-01') })
      .returning('id')
      .executeTakeFirstOrThrow();
    (members[group] ??= []).push(row.id);
    return row.id;
  }

  async function bill(customerId: string, dueAt: Date, paidAt?: Date): Promise<void> {
    const receivable = await h.app.db
      .insertInto('receivables')
      .values({ external_id: `seg-r-${serial++}`, customer_id: customerId, kind: 'bill', currency: 'USD', amount_minor: 10_000n, paid_minor: paidAt ? 10_000n : 0n, due_at: dueAt, status: paidAt ? 'paid' : 'open', created_at: dueAt, updated_at: dueAt, closed_at: paidAt ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (paidAt) {
      await h.app.db.insertInto('payments').values({ external_id: `seg-p-${serial++}`, receivable_id: receivable.id, amount_minor: 10_000n, currency: 'USD', paid_at: paidAt, created_at: paidAt }).execute();
    }
  }

  async function contact(customerId: string, channel: Channel, sentAt: Date, status: AttemptStatus): Promise<void> {
    await h.app.db
      .insertInto('contact_attempts')
      .values({ idempotency_key: `seg-a-${serial++}`, customer_id: customerId, channel, content: '{}', status, due_at: sentAt, decision: '{}', created_at: sentAt, updated_at: sentAt, sent_at: sentAt })
      .execute();
  }

  const view = async (customerId: string) => {
    const response = await h.call('GET', `/v1/customers/${customerId}`);
    expect(response.status).toBe(200);
    return response.body as { segment: { name: string; members: number; fittedOn: number; behaviour: Record<string, number | null> } | null; bestTimeToReach: { label: string; segment: { name: string; responses: number } | null } | null };
  };

  beforeAll(async () => {
    h = await startHarness('pglite');
    // Reply to a text on Wednesday evening and pay two hours later.
    for (let i = 0; i < PER_GROUP; i++) {
      const id = await customer('responds fast');
      for (const week of [0, 1, 2]) {
        const sent = at('2026-02-04T19:00:00Z', week * 7 * 24);
        await contact(id, 'sms', sent, 'replied');
        await bill(id, new Date(sent.getTime() - DAY), at(sent.toISOString(), 2));
      }
    }
    // Ignore texts; answer calls on Monday morning and pay the next day.
    for (let i = 0; i < PER_GROUP; i++) {
      const id = await customer('needs a call');
      for (const week of [0, 1, 2]) {
        // After the week's payment, and more than three days before the next: no text is followed by one.
        await contact(id, 'sms', at('2026-02-04T12:00:00Z', week * 7 * 24), 'delivered');
        await contact(id, 'sms', at('2026-02-05T12:00:00Z', week * 7 * 24), 'delivered');
        const call = at('2026-02-02T10:00:00Z', week * 7 * 24);
        await contact(id, 'voice', call, 'replied');
        await bill(id, new Date(call.getTime() - 2 * DAY), at(call.toISOString(), 26));
      }
    }
    // Contacted, complain, opt out, never pay.
    for (let i = 0; i < PER_GROUP; i++) {
      const id = await customer('sensitive to contact');
      await bill(id, at('2026-01-10T00:00:00Z'));
      for (const day of [12, 14, 16]) await contact(id, 'sms', at(`2026-01-${day}T12:00:00Z`), 'delivered');
      await h.app.db.insertInto('interaction_events').values({ customer_id: id, kind: 'handoff.requested', channel: 'sms', occurred_at: at('2026-01-16T13:00:00Z'), payload: JSON.stringify({ reason: 'complaint' }), created_at: at('2026-01-16T13:00:00Z') }).execute();
      await h.app.db.insertInto('consent_ledger').values({ customer_id: id, channel: 'sms', granted: false, source: 'sms:STOP', recorded_at: at('2026-01-16T13:05:00Z') }).execute();
    }
    // Pay, but ten days after being asked.
    for (let i = 0; i < PER_GROUP; i++) {
      const id = await customer('slow payer');
      for (const month of ['2025-12', '2026-01']) {
        const sent = at(`${month}-05T12:00:00Z`);
        await contact(id, 'email', sent, 'delivered');
        await bill(id, at(`${month}-01T00:00:00Z`), at(sent.toISOString(), 240));
      }
    }
    // Late, but pay by themselves before anyone writes.
    for (let i = 0; i < PER_GROUP; i++) {
      const id = await customer('self-cures');
      for (const month of ['2025-11', '2025-12', '2026-01']) await bill(id, at(`${month}-01T00:00:00Z`), at(`${month}-03T09:00:00Z`));
    }
  });
  afterAll(async () => h?.close());

  it('finds the five behaviours, named as a collections team would, each debtor in theirs', async () => {
    for (const [group, ids] of Object.entries(members)) {
      for (const id of ids.slice(0, 3)) {
        const { segment } = await view(id);
        expect(segment, `${group} ${id}`).not.toBeNull();
        expect(segment!.name, group).toBe(group);
        expect(segment!.members).toBe(PER_GROUP);
        expect(segment!.fittedOn).toBe(5 * PER_GROUP);
      }
    }
  });

  it('shows the behaviour the placement was made from', async () => {
    const fast = (await view(members['responds fast']![0]!)).segment!.behaviour;
    expect(fast).toMatchObject({ contacts: 3, responseRate: 1, medianHoursToPay: 2, callShare: 0, complaintRate: 0, selfCureRate: 0, overdueEpisodes: 3 });
    const call = (await view(members['needs a call']![0]!)).segment!.behaviour;
    // Every contact counts to the next payment within two weeks: the calls' 26 h three times, the texts'
    // 120 h and 144 h twice each (the last week's texts were followed by none), so the median is 120.
    expect(call).toMatchObject({ contacts: 9, callShare: 1, medianHoursToPay: 120 });
    expect(call.responseRate).toBeCloseTo(3 / 9, 9);
    const sensitive = (await view(members['sensitive to contact']![0]!)).segment!.behaviour;
    expect(sensitive).toMatchObject({ contacts: 3, responseRate: 0, callShare: null, medianHoursToPay: 14 * 24 });
    expect(sensitive.complaintRate).toBeCloseTo(1 / 3, 9);
    expect(sensitive.contactSensitivity).toBeCloseTo(2 / 3, 9);
    // Never contacted: no response rate of their own, and every overdue bill paid unasked.
    const selfCure = (await view(members['self-cures']![0]!)).segment!.behaviour;
    expect(selfCure).toMatchObject({ contacts: 0, responseRate: null, selfCureRate: 1, overdueEpisodes: 3 });
  });

  it('reaches a person with few answers when their segment answers, not when the portfolio does', async () => {
    // One new fast responder with a single answer of their own, on a Tuesday at noon.
    const id = await customer('newcomer');
    const sent = at('2026-02-24T12:00:00Z');
    await contact(id, 'sms', sent, 'replied');
    await bill(id, new Date(sent.getTime() - DAY), at(sent.toISOString(), 1));
    const { segment, bestTimeToReach } = await view(id);
    expect(segment!.name).toBe('responds fast');
    // The portfolio's answers are split between the callers' Monday 10:00 and the fast responders'
    // Wednesday 19:00, 36 each (a tie goes to the earlier hour); the segment's are all on Wednesday.
    expect(bestTimeToReach).toMatchObject({ label: 'Wed 19:00', segment: { name: 'responds fast', responses: 3 * PER_GROUP } });
    const withoutSegment = await h.app.sendTimes.forCustomer(id);
    expect(withoutSegment!.segment).toBeNull();
    expect(withoutSegment!.label).not.toBe('Wed 19:00');
  });

  it('has no segments for a portfolio too small to cluster, or for someone with no history', async () => {
    const early = createBehaviourSegments(h.app.db, new VirtualClock(new Date('2025-11-02T00:00:00Z')));
    expect(MIN_CUSTOMERS_TO_SEGMENT).toBeGreaterThan(PER_GROUP);
    // Eleven months ago only the self-curers' first bills had fallen due.
    expect(await early.forCustomer(members['self-cures']![0]!)).toBeNull();
    const id = await customer('nothing yet');
    expect((await view(id)).segment).toBeNull();
  });
});
