import { describe, expect, test } from 'vitest';
import { POLICY_RULES } from '../../src/strategy/index.js';
import type { ReceivableContext } from '../../src/strategy/types.js';
import { at, context, loadDefault } from './fixtures.js';

const policy = loadDefault();
const shanghai = { timezone: 'Asia/Shanghai', locale: 'zh-CN', jurisdiction: 'CN' };
// Due on 19 March in Shanghai: late from local midnight, 2026-03-19T16:00Z.
const billDue: ReceivableContext = { id: 'b-1', kind: 'bill', amountMinor: 50_000n, currency: 'CNY', dueAt: at('2026-03-19T16:00:00Z') };
const order = (timeout: string): ReceivableContext => ({ id: 'o-1', kind: 'order', amountMinor: 19_900n, currency: 'CNY', dueAt: at(timeout), paymentTimeoutAt: at(timeout) });
const appDecision = (now: string, r: ReceivableContext, contacts: { at: Date; channel: 'app'; receivableIds: string[] }[] = []) =>
  policy.evaluate(context(now, { customer: shanghai, case: undefined, receivables: [r], history: { contacts } })).decisions[0]!;

describe('pre-due reminders', () => {
  test('3 days and 1 day before due, in local calendar days', () => {
    expect(policy.nextPreDueReminderAt(billDue, { now: at('2026-03-10T00:00:00Z'), timezone: 'Asia/Shanghai' })).toEqual(at('2026-03-16T16:00:00Z'));
    const afterFirst = { now: at('2026-03-17T05:00:00Z'), timezone: 'Asia/Shanghai', lastContactAt: at('2026-03-17T01:00:00Z') };
    expect(policy.nextPreDueReminderAt(billDue, afterFirst)).toEqual(at('2026-03-18T16:00:00Z'));
    // Reached but never sent: it is due now.
    expect(policy.nextPreDueReminderAt(billDue, { now: at('2026-03-17T05:00:00Z'), timezone: 'Asia/Shanghai' })).toEqual(at('2026-03-16T16:00:00Z'));
    const allSent = { now: at('2026-03-19T05:00:00Z'), timezone: 'Asia/Shanghai', lastContactAt: at('2026-03-19T01:00:00Z') };
    expect(policy.nextPreDueReminderAt(billDue, allSent)).toBeNull();
  });

  test('New York keeps the local time of day across the DST change', () => {
    const nyBill = { ...billDue, dueAt: at('2026-03-10T04:00:00Z') }; // midnight EDT on 10 March
    // 3 days before is midnight EST on 7 March, 05:00Z, not 04:00Z.
    expect(policy.nextPreDueReminderAt(nyBill, { now: at('2026-03-01T00:00:00Z'), timezone: 'America/New_York' })).toEqual(at('2026-03-07T05:00:00Z'));
  });

  test('before the first point the contact waits for it, then for contact hours', () => {
    const d = appDecision('2026-03-16T10:00:00Z', billDue);
    expect([d.outcome, d.stage, d.rule, d.sendAt]).toEqual(['delayed', 'pre_due', POLICY_RULES.preDue, at('2026-03-17T00:00:00Z')]);
    expect(d.notes.map((n) => n.rule)).toEqual([POLICY_RULES.preDue, POLICY_RULES.hours]);
    expect(appDecision('2026-03-17T02:00:00Z', billDue).outcome).toBe('allowed');
    // Once the 3-day reminder went, the next is the 1-day one.
    const sent = [{ at: at('2026-03-17T02:00:00Z'), channel: 'app' as const, receivableIds: ['b-1'] }];
    expect(appDecision('2026-03-17T06:00:00Z', billDue, sent).sendAt).toEqual(at('2026-03-19T00:00:00Z'));
  });

  test('an unpaid order is reminded before its payment timeout, which a promotion widens', () => {
    const normal = order('2026-11-20T04:00:00Z');
    expect(policy.nextPreDueReminderAt(normal, { now: at('2026-11-20T03:00:00Z'), timezone: 'Asia/Shanghai' })).toEqual(at('2026-11-20T03:45:00Z'));
    const double11 = order('2026-11-11T04:00:00Z');
    expect(policy.nextPreDueReminderAt(double11, { now: at('2026-11-11T03:00:00Z'), timezone: 'Asia/Shanghai' })).toEqual(at('2026-11-11T04:45:00Z'));
    expect(appDecision('2026-11-11T04:50:00Z', double11).outcome).toBe('allowed');
  });

  test('an order reminder that contact hours would push past the timeout is blocked, not sent late', () => {
    const late = order('2026-11-20T14:00:00Z'); // 22:00 in Shanghai; the reminder point 21:45 is outside hours
    const d = appDecision('2026-11-20T13:45:00Z', late);
    expect([d.outcome, d.rule]).toEqual(['blocked', POLICY_RULES.orderTimeout]);
    const early = order('2026-11-20T06:00:00Z');
    expect(appDecision('2026-11-20T05:45:00Z', early).outcome).toBe('allowed');
  });
});
