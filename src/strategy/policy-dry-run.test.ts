import { describe, expect, it } from 'vitest';
import { loadPolicy, type CompiledPolicy } from './load-policy.js';
import { compareDecisions } from './policy-dry-run.js';
import type { EvaluationContext } from './types.js';

const TEMPLATES = ['t-sms', 't-email', 't-app'];

function policy(version: number, m1: Record<string, unknown>): CompiledPolicy {
  const result = loadPolicy(JSON.stringify({ id: 'p', version, stages: { m1 } }), { file: 'p.json', templates: TEMPLATES });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function ctx(customerId: string, now = '2026-03-10T15:00:00Z'): EvaluationContext {
  return {
    now: new Date(now),
    customer: { id: customerId, timezone: 'UTC', locale: 'en', consents: {}, optedOut: [] },
    case: { stage: 'm1', daysPastDue: 5 },
    receivables: [{ id: `${customerId}-r`, kind: 'bill', amountMinor: 1000n, currency: 'USD', dueAt: new Date('2026-03-05T00:00:00Z') }],
    history: { contacts: [] },
  };
}

const smsOnly = policy(1, { channels: ['sms'], templates: { sms: ['t-sms'] } });

describe('compareDecisions', () => {
  it('reports nothing changed for the same rules', () => {
    const report = compareDecisions(smsOnly, policy(2, { channels: ['sms'], templates: { sms: ['t-sms'] } }), [ctx('c1'), ctx('c2')]);
    expect(report).toMatchObject({ sampledCases: 2, changed: 0, unchanged: 2, examples: [] });
    expect(report.current).toEqual({ policy: 'p@1', decisions: 2, byOutcome: { allowed: 2 }, byChannel: { sms: 2 }, byRule: { 'policy.allowed': 2 } });
    expect(report.candidate.policy).toBe('p@2');
  });

  it('counts decisions per outcome, channel and rule for both, and which ones change', () => {
    // The candidate adds email and closes contact hours at this instant (15:00 UTC is outside 08-12).
    const candidate = policy(2, { channels: ['sms', 'email'], templates: { sms: ['t-sms'], email: ['t-email'] }, contactHours: { start: '08:00', end: '12:00' } });
    const report = compareDecisions(smsOnly, candidate, [ctx('c1'), ctx('c2'), ctx('c3')]);
    expect(report.current.decisions).toBe(3);
    expect(report.candidate.decisions).toBe(6);
    expect(report.candidate.byChannel).toEqual({ sms: 3, email: 3 });
    expect(report.candidate.byOutcome.allowed ?? 0).toBe(0);
    expect(report.candidate.byRule).toEqual({ 'policy.contact-hours': 6 });
    // Three sms decisions moved to a later send time, three email decisions are new.
    expect(report.changed).toBe(6);
    expect(report.unchanged).toBe(0);
    const sms = report.examples.find((e) => e.customerId === 'c1' && e.channel === 'sms')!;
    expect(sms.current).toMatchObject({ outcome: 'allowed', rule: 'policy.allowed' });
    expect(sms.candidate).toMatchObject({ outcome: 'delayed', rule: 'policy.contact-hours', sendAt: '2026-03-11T08:00:00.000Z' });
    expect(report.examples.find((e) => e.customerId === 'c1' && e.channel === 'email')!.current).toBeNull();
  });

  it('keeps at most the requested number of examples', () => {
    const report = compareDecisions(smsOnly, policy(2, { channels: ['app'], templates: { app: ['t-app'] } }), [ctx('c1'), ctx('c2'), ctx('c3')], 2);
    expect(report.changed).toBe(6);
    expect(report.examples).toHaveLength(2);
  });
});
