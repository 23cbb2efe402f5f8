import { describe, expect, it } from 'vitest';
import { annoyancePenalty, formatAmount, multiplyByProbability, scoreActions, type ContactAction, type ExpectedValueConfig, type ScoreRequest } from './expected-value.js';

const config: ExpectedValueConfig = {
  channelCostMinor: { sms: 5n, email: 1n, voice: 120n },
  annoyance: { perRecentContactMinor: 20n, perComplaintMinor: 500n, channelIntrusivenessPercent: { voice: 300, email: 50 } },
};
const sms: ContactAction = { kind: 'contact', id: 'sms|gentle|h19', channel: 'sms' };
const email: ContactAction = { kind: 'contact', id: 'email|gentle|h9', channel: 'email' };
const voice: ContactAction = { kind: 'contact', id: 'voice|script-a|h11', channel: 'voice' };

function request(overrides: Partial<ScoreRequest> = {}): ScoreRequest {
  return {
    candidates: [
      { action: sms, pPay: 0.341 },
      { action: email, pPay: 0.31 },
      { action: voice, pPay: 0.36 },
    ],
    pPayIfWait: 0.3,
    outstandingMinor: 128_000n,
    currency: 'CNY',
    contactsLast7Days: 0,
    complaints: 0,
    ...overrides,
  };
}

describe('expected value of each action', () => {
  it('multiplies probability by amount in integers, exact beyond 2^53', () => {
    expect(multiplyByProbability(128_000n, 0.041)).toBe(5_248n);
    expect(multiplyByProbability(1n, 0.5)).toBe(1n); // half a minor unit rounds away from zero
    expect(multiplyByProbability(1n, -0.5)).toBe(-1n);
    expect(multiplyByProbability(10n ** 20n + 1n, 0.5)).toBe(5n * 10n ** 19n + 1n);
    expect(() => multiplyByProbability(1n, Number.NaN)).toThrow(RangeError);
  });

  it('ranks actions by uplift × amount − cost − annoyance, with readable reasons', () => {
    const result = scoreActions(request({ contactsLast7Days: 3 }), config);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // sms: 0.041 × 128,000 = 5,248 − 5 − 20 × 4 = 5,163. voice: 7,680 − 120 − 240 = 7,320. email: 1,280 − 1 − 40 = 1,239.
    expect(result.ranked.map((s) => [s.action.id, s.evMinor])).toEqual([
      [voice.id, 7_320n],
      [sms.id, 5_163n],
      [email.id, 1_239n],
      ['wait', 0n],
    ]);
    const smsScore = result.ranked[1]!;
    expect(smsScore.reasons).toEqual(['uplift +4.1% on 1,280.00', 'annoyance: 3 contacts in 7 days (0.80)', 'sms cost 0.05']);
  });

  it('waits when no contact has positive expected value, as for a likely self-curer', () => {
    const result = scoreActions(
      request({ pPayIfWait: 0.9, candidates: [{ action: sms, pPay: 0.9001 }, { action: voice, pPay: 0.9008 }] }),
      config,
    );
    expect(result.ok && result.ranked[0]!.action.kind).toBe('wait');
    if (!result.ok) return;
    expect(result.ranked[0]!.reasons[0]).toBe('p(pay) 90.0% without contact');
    expect(result.ranked[0]!.reasons[1]).toMatch(/^no contact has positive expected value \(best: sms\|gentle\|h19 -0\.12\)$/);
  });

  it('prefers wait on a tie at zero and when nothing is allowed', () => {
    const tie = scoreActions(request({ outstandingMinor: 0n, candidates: [{ action: { ...email, channel: 'free' }, pPay: 0.3 }] }), {
      ...config,
      channelCostMinor: { free: 0n },
      annoyance: { perRecentContactMinor: 0n, perComplaintMinor: 0n },
    });
    expect(tie.ok && tie.ranked[0]!.action.id).toBe('wait');
    const none = scoreActions(request({ candidates: [] }), config);
    expect(none.ok && none.ranked.map((s) => s.action.id)).toEqual(['wait']);
  });

  it('raises the annoyance penalty with recent contacts and complaints until waiting wins', () => {
    expect(annoyancePenalty(config.annoyance, 'sms', 0, 0)).toBe(20n);
    expect(annoyancePenalty(config.annoyance, 'sms', 4, 0)).toBe(100n);
    expect(annoyancePenalty(config.annoyance, 'sms', 4, 2)).toBe(1_100n);
    expect(annoyancePenalty(config.annoyance, 'voice', 4, 2)).toBe(3_300n);
    const small = request({ outstandingMinor: 20_000n });
    const calm = scoreActions(small, config);
    const hounded = scoreActions({ ...small, contactsLast7Days: 6, complaints: 2 }, config);
    expect(calm.ok && calm.ranked[0]!.action.kind).toBe('contact');
    expect(hounded.ok && hounded.ranked[0]!.action.kind).toBe('wait');
    if (hounded.ok) expect(hounded.ranked.find((s) => s.action.id === sms.id)!.reasons).toContain('annoyance: 6 contacts in 7 days, 2 complaints (11.40)');
  });

  it('reports a channel without a configured cost as a value, naming the fix', () => {
    const result = scoreActions(request({ candidates: [{ action: { ...sms, channel: 'wechat' }, pPay: 0.5 }] }), config);
    expect(result).toMatchObject({ ok: false, error: { type: 'unknown_channel_cost', channel: 'wechat' } });
  });

  it('formats amounts with grouped thousands and the currency digits', () => {
    expect(formatAmount(123_456_789n, 'CNY')).toBe('1,234,567.89');
    expect(formatAmount(-5n, 'USD')).toBe('-0.05');
    expect(formatAmount(1_234_567n, 'JPY')).toBe('1,234,567');
  });
});
