import { describe, expect, test } from 'vitest';
import { US_REG_F_RULES } from '../../src/strategy/index.js';
import type { ContactRecord, Conversation } from '../../src/strategy/types.js';
import { at, bill, context, policyFrom } from './fixtures.js';

// Only Reg F speaks here: the voluntary limits are opened wide so they cannot be what decides.
const policy = policyFrom({
  packs: ['us-reg-f'],
  voluntary: { perReceivablePerChannelPerDay: 100, perPersonPerWeek: 100 },
  stages: { m1: { channels: ['voice', 'sms', 'email'], templates: { voice: ['t-voice'], sms: ['t-sms'], email: ['t-email'] } } },
});
const HOUR = 3_600_000;
const NOW = '2026-03-10T15:00:00Z'; // 11:00 in New York
const calls = (hoursAgo: number[], receivableId = 'r-1'): ContactRecord[] =>
  hoursAgo.map((h) => ({ at: new Date(at(NOW).getTime() - h * HOUR), channel: 'voice', receivableIds: [receivableId] }));

function voice(now: string, contacts: ContactRecord[], conversations: Conversation[] = []) {
  return policy.evaluate(context(now, { history: { contacts, conversations } })).decisions.find((d) => d.channel === 'voice')!;
}

describe('us-reg-f', () => {
  const sevenCalls = calls([140, 120, 100, 80, 60, 40, 20]); // the oldest is 140 h ago

  test('the 7th call in 7 days is allowed', () => {
    expect(voice(NOW, sevenCalls.slice(1)).outcome).toBe('allowed');
  });

  test('the 8th is delayed until the first leaves the 7-day window, then allowed', () => {
    const eighth = voice(NOW, sevenCalls);
    const freeAt = new Date(at(NOW).getTime() - 140 * HOUR + 7 * 24 * HOUR); // 28 h from now
    expect([eighth.outcome, eighth.rule, eighth.sendAt]).toEqual(['delayed', US_REG_F_RULES.callFrequency, freeAt]);
    expect(voice(new Date(freeAt.getTime() - 1).toISOString(), sevenCalls).outcome).toBe('delayed');
    expect(voice(freeAt.toISOString(), sevenCalls).outcome).toBe('allowed');
  });

  test('the cap is per debt: calls about another debt do not count, and SMS is not a call', () => {
    expect(voice(NOW, calls([140, 120, 100, 80, 60, 40, 20], 'r-2')).outcome).toBe('allowed');
    const d = policy.evaluate(context(NOW, { history: { contacts: sevenCalls } })).decisions.find((x) => x.channel === 'sms')!;
    expect(d.outcome).toBe('allowed');
  });

  test('no call for 7 days after a telephone conversation about the debt; debtor-initiated calls do not count', () => {
    const conv = (hoursAgo: number, initiatedBy: Conversation['initiatedBy'], id = 'r-1'): Conversation => ({
      at: new Date(at(NOW).getTime() - hoursAgo * HOUR),
      receivableIds: [id],
      initiatedBy,
    });
    const inside = voice(NOW, [], [conv(7 * 24 - 1, 'collector')]);
    expect([inside.outcome, inside.rule, inside.sendAt]).toEqual(['delayed', US_REG_F_RULES.afterConversation, at('2026-03-10T16:00:00Z')]);
    expect(voice(NOW, [], [conv(7 * 24, 'collector')]).outcome).toBe('allowed');
    expect(voice(NOW, [], [conv(1, 'debtor')]).outcome).toBe('allowed');
    expect(voice(NOW, [], [conv(1, 'collector', 'r-9')]).outcome).toBe('allowed');
  });

  test('an opt-out is honoured at once for that channel only', () => {
    const ds = policy.evaluate(context(NOW, { customer: { optedOut: ['sms'] } })).decisions;
    const sms = ds.find((d) => d.channel === 'sms')!;
    expect([sms.outcome, sms.rule]).toEqual(['blocked', US_REG_F_RULES.optOut]);
    expect(ds.find((d) => d.channel === 'email')!.outcome).toBe('allowed');
  });

  test('cease communication blocks every channel', () => {
    const ds = policy.evaluate(context(NOW, { customer: { ceaseCommunication: true } })).decisions;
    expect(ds.map((d) => [d.outcome, d.rule])).toEqual(Array(3).fill(['blocked', US_REG_F_RULES.cease]));
  });

  test('a pack scoped to US does not bind a debtor governed elsewhere', () => {
    const scoped = policyFrom({
      packs: [{ id: 'us-reg-f', jurisdictions: ['US'] }],
      stages: { m1: { channels: ['voice'], templates: { voice: ['t-voice'] } } },
    });
    const night = '2026-03-11T03:00:00Z'; // 23:00 in New York
    expect(scoped.evaluate(context(night, { customer: { jurisdiction: 'US' } })).decisions[0]!.rule).toBe(US_REG_F_RULES.hours);
    expect(scoped.evaluate(context(night, { customer: { jurisdiction: 'CA' } })).decisions[0]!.outcome).toBe('allowed');
    // Unknown jurisdiction: the pack applies.
    expect(scoped.evaluate(context(night, { customer: { jurisdiction: undefined } })).decisions[0]!.outcome).toBe('delayed');
  });

  test('options change the numbers: 3 calls in 7 days', () => {
    const strict = policyFrom({
      packs: [{ id: 'us-reg-f', options: { callsPerWindow: 3 } }],
      voluntary: { perReceivablePerChannelPerDay: 100 },
      stages: { m1: { channels: ['voice'], templates: { voice: ['t-voice'] } } },
    });
    const ctx = (n: number) => context(NOW, { receivables: [bill('r-1', '2026-03-01T05:00:00Z')], history: { contacts: calls([60, 40, 20].slice(0, n)) } });
    expect(strict.evaluate(ctx(2)).decisions[0]!.outcome).toBe('allowed');
    expect(strict.evaluate(ctx(3)).decisions[0]!.rule).toBe(US_REG_F_RULES.callFrequency);
  });
});
