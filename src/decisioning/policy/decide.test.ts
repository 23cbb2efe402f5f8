import { describe, expect, it } from 'vitest';
import { createRandom } from '../../simulation/random.js';
import { isInControlGroup } from './control-group.js';
import { decide, priorFromPrediction, WAIT_ARM, type DecisionRequest } from './decide.js';
import type { ContactAction, ExpectedValueConfig } from './expected-value.js';
import type { BetaParams } from './thompson.js';

const config: ExpectedValueConfig = {
  channelCostMinor: { sms: 5n, voice: 150n },
  annoyance: { perRecentContactMinor: 20n, perComplaintMinor: 500n },
};
const sms: ContactAction = { kind: 'contact', id: 'sms|gentle|h19', channel: 'sms' };
const voice: ContactAction = { kind: 'contact', id: 'voice|script|h11', channel: 'voice' };
const experiment = { salt: 'decide-test' };

const ids = Array.from({ length: 400 }, (_, i) => `cus_${i}`);
const controlId = ids.find((id) => isInControlGroup(id, experiment))!;
const policyId = ids.find((id) => !isInControlGroup(id, experiment))!;

function request(customerId: string): DecisionRequest {
  return { customerId, experiment, baselineAction: sms, candidates: [sms, voice], outstandingMinor: 50_000n, currency: 'CNY', contactsLast7Days: 1, complaints: 0 };
}

/** Posteriors built from a response model's predictions worth `strength` observations each. */
function beliefs(p: Record<string, number>, strength: number): (arm: string) => BetaParams {
  return (arm) => priorFromPrediction(p[arm]!, strength);
}

describe('deciding one case', () => {
  it('gives the control group the baseline action, with propensity 1 and the reason', () => {
    const result = decide(createRandom(1), request(controlId), beliefs({ [WAIT_ARM]: 0.9, [sms.id]: 0.1, [voice.id]: 0.1 }, 100), config);
    expect(result).toMatchObject({ ok: true, decision: { group: 'control', action: sms, propensity: 1 } });
    if (result.ok) expect(result.decision.reasons[0]).toMatch(/^control group \(5\.0% .*baseline schedule$/);
  });

  it('leaves a confident self-curer alone, and calls someone a call clearly helps', () => {
    const selfCurer = decide(createRandom(2), request(policyId), beliefs({ [WAIT_ARM]: 0.92, [sms.id]: 0.9, [voice.id]: 0.9 }, 2_000), config);
    expect(selfCurer.ok && selfCurer.decision.action.kind).toBe('wait');
    const needsCall = decide(createRandom(3), request(policyId), beliefs({ [WAIT_ARM]: 0.1, [sms.id]: 0.12, [voice.id]: 0.4 }, 2_000), config);
    expect(needsCall.ok && needsCall.decision.action.id).toBe(voice.id);
    if (needsCall.ok) {
      expect(needsCall.decision.propensity).toBeGreaterThan(0.95);
      expect(needsCall.decision.reasons[0]).toMatch(/^uplift \+\d+\.\d% on 500\.00$/);
      expect(needsCall.decision.reasons.at(-1)).toMatch(/posterior draws$/);
    }
  });

  it('explores when unsure, and the logged propensity matches how often each action is chosen', () => {
    const uncertain = beliefs({ [WAIT_ARM]: 0.3, [sms.id]: 0.33, [voice.id]: 0.35 }, 30);
    const random = createRandom(4);
    const picks = new Map<string, { count: number; propensity: number }>();
    const calls = 400;
    for (let i = 0; i < calls; i++) {
      const result = decide(random, request(policyId), uncertain, config, { propensityDraws: 100 });
      if (!result.ok) throw new Error(result.error.message);
      const entry = picks.get(result.decision.action.id) ?? { count: 0, propensity: 0 };
      picks.set(result.decision.action.id, { count: entry.count + 1, propensity: entry.propensity + result.decision.propensity });
    }
    expect(picks.size).toBe(3);
    for (const [action, { count, propensity }] of picks) {
      console.log(`${action}: chosen ${(count / calls).toFixed(3)}, mean logged propensity ${(propensity / count).toFixed(3)}`);
      expect(Math.abs(count / calls - propensity / count)).toBeLessThan(0.08);
    }
  });

  it('passes on the scorer\'s error for a channel without a cost', () => {
    const result = decide(createRandom(5), { ...request(policyId), candidates: [{ kind: 'contact', id: 'fax|a|h9', channel: 'fax' }] }, () => ({ alpha: 1, beta: 1 }), config);
    expect(result).toMatchObject({ ok: false, error: { type: 'unknown_channel_cost', channel: 'fax' } });
  });
});
