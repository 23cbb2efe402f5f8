import { describe, expect, it } from 'vitest';
import { createSegmentedBandit, recordSegmentReward } from '../decisioning/policy/index.js';
import { recordSegmentRewardInPlace } from './bandit-ledger.js';
import { ChannelNoticeModel, scaleBelief } from './channel-notice.js';
import { checkContact } from './contact-rules.js';
import { openLedger, type ContactRecord } from './ledger.js';
import type { CaseView } from './policy.js';
import type { DebtorProfile } from './population.js';
import { DEFAULT_START } from './run-simulation.js';
import { ratio } from './summary.js';

const profile: DebtorProfile = { id: 'p-1', index: 0, locale: 'zh-CN', ageBand: '30-50', timezone: 'America/New_York', channels: ['sms', 'wechat'], kind: 'order', amountMinor: 10_000n, dueDay: 0, priorEpisodes: 0, priorSelfCures: 0 };

function contact(day: number, channel: 'sms' | 'wechat', engaged: boolean): ContactRecord {
  return { day, channel, variant: 'gentle', localHour: 19, engaged, complained: false, optedOut: false };
}

describe('the learning policy\'s helpers', () => {
  it('records rewards in place exactly as the immutable segmented bandit does', () => {
    let immutable = createSegmentedBandit({ arms: ['wait', 'sms'], prior: { alpha: 1, beta: 9 } });
    const inPlace = createSegmentedBandit({ arms: ['wait', 'sms'], prior: { alpha: 1, beta: 9 } });
    const outcomes: Array<[string, string, number]> = [['a', 'sms', 1], ['a', 'wait', 0], ['b', 'sms', 0], ['a', 'sms', 0], ['b', 'wait', 1]];
    for (const [segment, arm, reward] of outcomes) {
      immutable = recordSegmentReward(immutable, segment, arm, reward);
      recordSegmentRewardInPlace(inPlace, segment, arm, reward);
    }
    expect(inPlace).toEqual(immutable);
    expect(() => recordSegmentRewardInPlace(createSegmentedBandit({ arms: [], discount: 0.99 }), 'a', 'sms', 1)).toThrow(RangeError);
  });

  it('scales a belief by the person\'s channel fit without changing its strength', () => {
    const scaled = scaleBelief({ alpha: 2, beta: 18 }, 1.5);
    expect(scaled.alpha + scaled.beta).toBeCloseTo(20, 9);
    expect(scaled.alpha / 20).toBeCloseTo(0.15, 9);
    expect(scaleBelief({ alpha: 2, beta: 18 }, 1)).toEqual({ alpha: 2, beta: 18 });
  });

  it('reads a person\'s channel fit from their receipts only', () => {
    const model = new ChannelNoticeModel();
    for (let i = 0; i < 100; i++) model.record('zh-CN', 'sms', i % 4 === 0);
    const ledger = openLedger(profile);
    const view: CaseView = { profile, ledger, daysPastDue: 5, allowed: ['sms', 'wechat'] };
    expect(model.multiplier(view, 'sms')).toBe(1);
    ledger.contacts.push(contact(1, 'sms', false), contact(3, 'sms', false));
    expect(model.multiplier(view, 'sms')).toBeLessThan(0.6);
    ledger.contacts.push(contact(4, 'sms', true));
    expect(model.multiplier(view, 'sms')).toBeGreaterThan(1);
  });

  it('refuses contacts outside 08:00-21:00 local time and on an opted-out channel', () => {
    const start = DEFAULT_START.getTime();
    const ledger = openLedger(profile);
    expect(checkContact(start, profile, ledger, { channel: 'sms', variant: 'gentle', localHour: 8 }, 2).ok).toBe(true);
    expect(checkContact(start, profile, ledger, { channel: 'sms', variant: 'gentle', localHour: 21 }, 2)).toEqual({ ok: false, rule: 'outside local contact hours' });
    expect(checkContact(start, profile, ledger, { channel: 'sms', variant: 'gentle', localHour: 7 }, 2)).toEqual({ ok: false, rule: 'outside local contact hours' });
    // 2026-03-08 is the spring-forward day in New York: 02:00 does not exist, 08:00 still does.
    expect(checkContact(start, profile, ledger, { channel: 'sms', variant: 'gentle', localHour: 8 }, 6).ok).toBe(true);
    ledger.optedOut.add('wechat');
    expect(checkContact(start, profile, ledger, { channel: 'wechat', variant: 'gentle', localHour: 12 }, 2)).toEqual({ ok: false, rule: 'opted out of the channel' });
    expect(checkContact(start, profile, ledger, { channel: 'voice', variant: 'gentle', localHour: 12 }, 2)).toEqual({ ok: false, rule: 'no identity or consent for the channel' });
  });

  it('computes the recovery rate on the integers', () => {
    expect(ratio(1n, 3n)).toBe(0.333333);
    expect(ratio(9_007_199_254_740_993n, 9_007_199_254_740_993n * 2n)).toBe(0.5);
    expect(ratio(5n, 0n)).toBe(0);
  });
});
