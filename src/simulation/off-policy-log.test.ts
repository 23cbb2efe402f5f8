import { describe, expect, it } from 'vitest';
import { WAIT_ARM } from '../decisioning/policy/index.js';
import { AiPolicy } from './ai-policy.js';
import { openLedger, type Ledger } from './ledger.js';
import { baselineInWindow, OffPolicyLog } from './off-policy-log.js';
import { generatePopulation } from './population.js';
import { runSimulation } from './run-simulation.js';
import { summarise } from './summary.js';

describe('the backtest off-policy log', () => {
  it('names what the fixed schedule does in each outcome window, or that it waits', () => {
    const all = ['sms', 'voice'] as const;
    // Days past due 1-3 hold the first gentle text; 4-6 nothing; 5-7 the firm text on day 7; 8-10 the call.
    expect(baselineInWindow(1, 3, all)).toBe('sms');
    expect(baselineInWindow(4, 3, all)).toBe(WAIT_ARM);
    expect(baselineInWindow(5, 3, all)).toBe('sms');
    expect(baselineInWindow(8, 3, all)).toBe('voice');
    // Opted out of texts: the schedule skips the step rather than replace it.
    expect(baselineInWindow(1, 3, ['voice'])).toBe(WAIT_ARM);
  });

  it('logs the probability of the action taken, from re-decisions with its own random source', () => {
    const [debtor] = generatePopulation({ customers: 1, seed: 3, dueWithinDays: 1 });
    const ledger = openLedger(debtor!.profile);
    const log = new OffPolicyLog(1, 3, () => ledger, { every: 1, draws: 399 });
    // A logging policy that texts a quarter of the time and otherwise waits; it took the text.
    let calls = 0;
    for (let i = 0; i < 200; i++) {
      log.decided(0, 1, 1, ['sms'], 'sms', (random) => {
        calls++;
        return random.next() < 0.25 ? 'sms' : WAIT_ARM;
      });
    }
    expect(calls).toBe(200 * 399);
    ledger.payments.push({ day: 2, amountMinor: 100n });
    log.endOfDay(3);
    const summary = log.summary();
    expect(summary.policy).toEqual({ decisions: 200, paidRate: 1 });
    // Every decision paid and took the baseline's text: IPS of "baseline" is the mean of 1/propensity,
    // so with propensities near 0.25 it comes out near 4 (IPS is unbiased, not bounded), SNIPS exactly 1.
    const baseline = summary.candidates.find((c) => c.name === 'baseline')!;
    expect(baseline.snips.value).toBe(1);
    expect(baseline.ips.value).toBeGreaterThan(3.5);
    expect(baseline.ips.value).toBeLessThan(4.5);
    // No decision waited, so the log says nothing about "wait" beyond the reward model's guess.
    expect(summary.candidates.find((c) => c.name === 'wait')!.ips.value).toBe(0);
  });

  it('changes no decision of the run it logs, and its baseline estimate comes near what the control group observed', () => {
    const withLog = runSimulation({ customers: 3_000, days: 60, policy: 'ai', seed: 5 });
    const withoutLog = runSimulation({ customers: 3_000, days: 60, policy: 'ai', seed: 5 }, (options, debtors, ledgers: readonly Ledger[]) => {
      const ai = new AiPolicy({ seed: options.seed, customers: debtors.length, startWeekday: (options.start.getUTCDay() + 6) % 7, ledgerOf: (i) => ledgers[i]! });
      for (const d of debtors) ai.enrol(d.profile);
      return ai;
    });
    expect(withoutLog.offPolicy).toBeUndefined();
    expect(summarise(withLog)).toEqual(summarise(withoutLog));
    expect(withLog.recoveredByDay).toEqual(withoutLog.recoveredByDay);
    const ope = withLog.offPolicy!;
    expect(ope.policy.decisions).toBeGreaterThan(300);
    expect(ope.control.decisions).toBeGreaterThan(300);
    const baseline = ope.candidates.find((c) => c.name === 'baseline')!.doublyRobust;
    // Two noisy samples of a rate of a few percent: their gap stays within the estimate's own interval, widened for the control's noise.
    const controlRate = ope.control.paidRate!;
    const controlSe = Math.sqrt((controlRate * (1 - controlRate)) / ope.control.decisions);
    expect(Math.abs(baseline.value - controlRate)).toBeLessThan(2 * Math.hypot(baseline.standardError, controlSe) + 0.01);
  });
});
