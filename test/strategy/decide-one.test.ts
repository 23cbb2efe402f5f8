import { describe, expect, test } from 'vitest';
import type { ContactRecord } from '../../src/strategy/types.js';
import { at, bill, context, loadDefault } from './fixtures.js';

const policy = loadDefault();
const HOUR = 3_600_000;

/**
 * decideOne is evaluate narrowed to one channel and receivable group: for every decision evaluate
 * makes it makes the same one, over contexts that block, delay, allow, combine and split groups.
 */
describe('deciding one channel of one receivable group', () => {
  const NOW = '2026-03-10T02:00:00Z';
  const sms = (hoursAgo: number): ContactRecord => ({ at: new Date(at(NOW).getTime() - hoursAgo * HOUR), channel: 'sms', receivableIds: ['r-1'] });
  const contexts = {
    'overdue in New York at night': context(NOW),
    'overdue in Shanghai by day, zh-CN': context(NOW, { customer: { timezone: 'Asia/Shanghai', locale: 'zh-CN', jurisdiction: 'CN' } }),
    'two overdue bills and one pre-due, in two currencies': context(NOW, {
      receivables: [bill('r-1', '2026-02-01T05:00:00Z'), bill('r-2', '2026-02-15T05:00:00Z'), bill('r-3', '2026-02-20T05:00:00Z', { currency: 'CNY' }), bill('r-4', '2026-03-12T05:00:00Z')],
    }),
    'opted out of SMS, texted an hour ago': context(NOW, { customer: { optedOut: ['sms'] }, history: { contacts: [sms(1)] } }),
    'an open dispute': context(NOW, { history: { contacts: [], disputeOpen: true } }),
    'in m3+ and in London': context(NOW, { case: { stage: 'm3_plus', daysPastDue: 70 }, customer: { timezone: 'Europe/London', jurisdiction: 'GB' } }),
  };

  for (const [name, ctx] of Object.entries(contexts)) {
    test(name, () => {
      const { decisions } = policy.evaluate(ctx);
      expect(decisions.length).toBeGreaterThan(0);
      for (const decision of decisions) expect(policy.decideOne(ctx, decision.channel, decision.receivableIds)).toEqual(decision);
    });
  }

  test('has no decision for a channel the stage does not use, or for a group that does not exist', () => {
    const ctx = contexts['two overdue bills and one pre-due, in two currencies'];
    const { decisions } = policy.evaluate(ctx);
    const channels = new Set(decisions.map((d) => d.channel));
    expect(policy.decideOne(ctx, 'sms', ['r-1'])).toBeUndefined();
    expect(policy.decideOne(ctx, 'sms', ['r-2', 'r-1'])).toBeUndefined();
    expect(decisions.some((d) => d.receivableIds.join() === 'r-1,r-2')).toBe(true);
    for (const channel of ['sms', 'email', 'voice', 'wechat', 'push', 'app'] as const) {
      if (!channels.has(channel)) expect(policy.decideOne(ctx, channel, ['r-1', 'r-2'])).toBeUndefined();
    }
  });
});
