import { describe, expect, test } from 'vitest';
import { CN_COLLECTION_RULES, GDPR_RULES, inControlGroup, POLICY_RULES, RECOUP_RULES } from '../../src/strategy/index.js';
import type { ContactRecord } from '../../src/strategy/types.js';
import { at, bill, context, policyFrom } from './fixtures.js';

const HOUR = 3_600_000;
const NOW = '2026-03-10T15:00:00Z';
const ago = (h: number, channel: ContactRecord['channel'] = 'sms', ids = ['r-1']): ContactRecord => ({
  at: new Date(at(NOW).getTime() - h * HOUR),
  channel,
  receivableIds: ids,
});
const base = { stages: { m1: { channels: ['sms', 'email'], templates: { sms: ['t-sms'], email: ['t-email'] } } } };
const policy = policyFrom(base);
const first = (ctx: ReturnType<typeof context>) => policy.evaluate(ctx).decisions[0]!;

describe('recoup voluntary limits', () => {
  test('an open dispute blocks; a closed one does not', () => {
    expect(first(context(NOW, { history: { contacts: [], disputeOpen: true } })).rule).toBe(RECOUP_RULES.dispute);
    expect(first(context(NOW, { history: { contacts: [], disputeOpen: false } })).outcome).toBe('allowed');
  });

  test('no contact before a promise-to-pay date has passed', () => {
    const promise = { contacts: [], promiseToPayUntil: at('2026-03-12T05:00:00Z') };
    const before = first(context(NOW, { history: promise }));
    expect([before.outcome, before.rule, before.sendAt]).toEqual(['delayed', RECOUP_RULES.promise, at('2026-03-12T05:00:00Z')]);
    expect(first(context('2026-03-12T05:00:00Z', { history: promise })).outcome).toBe('allowed');
  });

  test('a paid receivable gets no candidate, and the skip is recorded', () => {
    const result = policy.evaluate(context(NOW, { receivables: [bill('r-1', '2026-03-01T05:00:00Z', { amountMinor: 0n })] }));
    expect(result.decisions).toEqual([]);
    expect(result.skipped).toEqual([{ receivableIds: ['r-1'], rule: RECOUP_RULES.paid, reason: 'the balance is paid' }]);
  });

  test('one reminder per receivable per day per channel: 24 hours later it may go again', () => {
    const ds = policy.evaluate(context(NOW, { history: { contacts: [ago(23)] } })).decisions;
    expect([ds[0]!.outcome, ds[0]!.rule, ds[0]!.sendAt]).toEqual(['delayed', RECOUP_RULES.receivableDaily, at('2026-03-10T16:00:00Z')]);
    expect(ds[1]!.outcome).toBe('allowed'); // email is another channel
    expect(first(context(NOW, { history: { contacts: [ago(24)] } })).outcome).toBe('allowed');
  });

  test('the weekly cap per person counts every channel and every receivable', () => {
    const capped = policyFrom({ ...base, voluntary: { perPersonPerWeek: 3 } });
    const two = [ago(100, 'email', ['r-7']), ago(50, 'app', ['r-8'])];
    expect(capped.evaluate(context(NOW, { history: { contacts: two } })).decisions[0]!.outcome).toBe('allowed');
    const three = [ago(167, 'voice', ['r-9']), ...two];
    const d = capped.evaluate(context(NOW, { history: { contacts: three } })).decisions[0]!;
    expect([d.rule, d.sendAt]).toEqual([RECOUP_RULES.personWeekly, at('2026-03-10T16:00:00Z')]);
  });

  test('several overdue receivables make one combined message; pre-due ones keep their own', () => {
    const combined = policyFrom(
      { stages: { m1: { channels: ['sms'], templates: { sms: ['single'] }, combinedTemplates: { sms: ['combined'] } }, pre_due: { channels: ['sms'], templates: { sms: ['single'] }, reminders: { daysBefore: [30] } } } },
      ['single', 'combined'],
    );
    const receivables = [bill('r-1', '2026-03-01T05:00:00Z'), bill('r-2', '2026-02-01T05:00:00Z'), bill('r-3', '2026-03-20T04:00:00Z')];
    const ds = combined.evaluate(context(NOW, { receivables })).decisions;
    expect(ds.map((d) => [d.receivableIds, d.stage, d.rule, d.templates])).toEqual([
      [['r-3'], 'pre_due', POLICY_RULES.allowed, ['single']],
      [['r-1', 'r-2'], 'm1', RECOUP_RULES.combined, ['combined']],
    ]);
    // Different currencies cannot share a total, so they are not combined.
    const mixed = combined.evaluate(context(NOW, { receivables: [bill('r-1', '2026-03-01T05:00:00Z'), bill('r-2', '2026-02-01T05:00:00Z', { currency: 'CNY' })] }));
    expect(mixed.decisions.map((d) => d.receivableIds)).toEqual([['r-1'], ['r-2']]);
  });

  test('withdrawn consent and a missing address block that channel only', () => {
    const ds = policy.evaluate(context(NOW, { customer: { consents: { sms: false } } })).decisions;
    expect(ds.map((d) => d.rule)).toEqual([RECOUP_RULES.consentWithdrawn, POLICY_RULES.allowed]);
    const noEmail = policy.evaluate(context(NOW, { customer: { reachable: ['sms'] } })).decisions;
    expect(noEmail.map((d) => d.rule)).toEqual([POLICY_RULES.allowed, RECOUP_RULES.noAddress]);
  });

  test('the control group is a stable share of customers that gets no contact', () => {
    const grouped = policyFrom({ ...base, controlGroup: { share: 0.5, salt: 's' } });
    const ids = Array.from({ length: 400 }, (_, i) => `c-${i}`);
    const inGroup = ids.filter((id) => inControlGroup(id, 0.5, 's'));
    expect(inGroup.length).toBeGreaterThan(150);
    expect(inGroup.length).toBeLessThan(250);
    const member = inGroup[0]!;
    const outsider = ids.find((id) => !inGroup.includes(id))!;
    expect(grouped.evaluate(context(NOW, { customer: { id: member } })).decisions[0]!.rule).toBe(POLICY_RULES.controlGroup);
    expect(grouped.evaluate(context(NOW, { customer: { id: outsider } })).decisions[0]!.outcome).toBe('allowed');
  });
});

describe('policy caps, gaps and segments', () => {
  const capped = policyFrom({
    voluntary: { perReceivablePerChannelPerDay: 100 },
    defaults: { minGapHours: 4 },
    stages: { m1: { channels: ['sms', 'email'], templates: { sms: ['t-sms'], email: ['t-email'] }, caps: { person: { day: 2 }, channel: { sms: { week: 2 } } } } },
    segments: { vip: { stages: { m1: { channels: ['email'], caps: { person: { day: 1 } } } } } },
  });
  const decide = (contacts: ContactRecord[], segment?: string) => capped.evaluate(context(NOW, { customer: { segment }, history: { contacts } })).decisions;

  test('minimum gap between contacts with the person', () => {
    const d = decide([ago(3, 'email', ['r-5'])])[0]!;
    expect([d.rule, d.sendAt]).toEqual([POLICY_RULES.minGap, at('2026-03-10T16:00:00Z')]);
    expect(decide([ago(4, 'email', ['r-5'])])[0]!.outcome).toBe('allowed');
  });

  test('per-person daily cap and per-channel weekly cap', () => {
    expect(decide([ago(20), ago(10, 'email')])[1]!.rule).toBe(POLICY_RULES.personDay);
    expect(decide([ago(100), ago(50)])[0]!.rule).toBe(POLICY_RULES.channelWeek);
    expect(decide([ago(100), ago(50)])[1]!.outcome).toBe('allowed');
  });

  test('a segment overrides channels and one cap, keeping the rest', () => {
    const vip = decide([ago(10, 'email', ['r-5'])], 'vip');
    expect(vip.map((d) => [d.channel, d.rule])).toEqual([['email', POLICY_RULES.personDay]]);
    expect(decide([ago(10, 'email', ['r-5'])], 'unknown-segment').map((d) => d.outcome)).toEqual(['allowed', 'allowed']);
  });

  test('a stage with no channels records a skip', () => {
    const result = capped.evaluate(context(NOW, { case: { stage: 'written_off', daysPastDue: 200 } }));
    expect(result.skipped.map((s) => s.rule)).toEqual([POLICY_RULES.noChannels]);
  });
});

describe('cn-collection and gdpr', () => {
  const packs = policyFrom({ packs: ['cn-collection', 'gdpr'], stages: { m1: { channels: ['sms', 'email', 'app'], templates: { sms: ['t-sms'], email: ['t-email'], app: ['t-app'] } } } });
  const now = '2026-03-10T02:00:00Z'; // 10:00 in Shanghai

  test('SMS needs recorded consent in China; with it, it goes', () => {
    const without = packs.evaluate(context(now, { customer: { timezone: 'Asia/Shanghai' } })).decisions;
    expect(without.map((d) => d.rule)).toEqual([CN_COLLECTION_RULES.consent, GDPR_RULES.consent, POLICY_RULES.allowed]);
    const withConsent = packs.evaluate(context(now, { customer: { timezone: 'Asia/Shanghai', consents: { sms: true, email: true } } })).decisions;
    expect(withConsent.map((d) => d.outcome)).toEqual(['allowed', 'allowed', 'allowed']);
  });

  test('退订 ends that channel at once; restricted processing ends all', () => {
    const ds = packs.evaluate(context(now, { customer: { timezone: 'Asia/Shanghai', optedOut: new Set(['app'] as const) } })).decisions;
    expect(ds[2]!.rule).toBe(CN_COLLECTION_RULES.unsubscribe);
    const restricted = packs.evaluate(context(now, { customer: { timezone: 'Asia/Shanghai', consents: { sms: true, email: true }, processingRestricted: true } })).decisions;
    expect(restricted.map((d) => d.rule)).toEqual(Array(3).fill(GDPR_RULES.restricted));
  });
});
