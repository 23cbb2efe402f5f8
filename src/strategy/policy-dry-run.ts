import type { CompiledPolicy } from './load-policy.js';
import type { Decision, EvaluationContext } from './types.js';

/** How one policy decided over a sample: counts per outcome, per channel and per deciding rule. */
export interface DecisionTally {
  policy: string;
  decisions: number;
  byOutcome: Record<string, number>;
  byChannel: Record<string, number>;
  byRule: Record<string, number>;
}

interface DecisionSummary {
  outcome: Decision['outcome'];
  rule: string;
  sendAt: string | null;
  template: string | null;
}

/** One candidate contact the two policies decide differently (or that only one of them considers). */
export interface DecisionChange {
  customerId: string;
  receivableIds: string[];
  channel: string;
  current: DecisionSummary | null;
  candidate: DecisionSummary | null;
}

export interface DryRunReport {
  sampledCases: number;
  current: DecisionTally;
  candidate: DecisionTally;
  /** Candidate contacts (customer, receivable group, channel) decided differently: outcome, rule, time or template. */
  changed: number;
  unchanged: number;
  /** The first few changes, to show what moved; ids only, nothing that identifies a person. */
  examples: DecisionChange[];
}

function emptyTally(policy: string): DecisionTally {
  return { policy, decisions: 0, byOutcome: {}, byChannel: {}, byRule: {} };
}

function count(tally: DecisionTally, d: Decision): void {
  tally.decisions += 1;
  tally.byOutcome[d.outcome] = (tally.byOutcome[d.outcome] ?? 0) + 1;
  tally.byChannel[d.channel] = (tally.byChannel[d.channel] ?? 0) + 1;
  tally.byRule[d.rule] = (tally.byRule[d.rule] ?? 0) + 1;
}

function summarise(d: Decision): DecisionSummary {
  return { outcome: d.outcome, rule: d.rule, sendAt: d.sendAt?.toISOString() ?? null, template: d.templates[0] ?? null };
}

function sameSummary(a: DecisionSummary, b: DecisionSummary): boolean {
  return a.outcome === b.outcome && a.rule === b.rule && a.sendAt === b.sendAt && a.template === b.template;
}

function keyed(decisions: readonly Decision[]): Map<string, Decision> {
  return new Map(decisions.map((d) => [`${[...d.receivableIds].sort().join(',')}|${d.channel}`, d]));
}

/**
 * Evaluates both policies on the same contexts (same instant, same history) and compares decision by
 * decision. Pure: the caller loads the contexts, and nothing is written anywhere.
 */
export function compareDecisions(current: CompiledPolicy, candidate: CompiledPolicy, contexts: readonly EvaluationContext[], maxExamples = 20): DryRunReport {
  const report: DryRunReport = { sampledCases: contexts.length, current: emptyTally(current.ref), candidate: emptyTally(candidate.ref), changed: 0, unchanged: 0, examples: [] };
  for (const ctx of contexts) {
    const before = keyed(current.evaluate(ctx).decisions);
    const after = keyed(candidate.evaluate(ctx).decisions);
    for (const d of before.values()) count(report.current, d);
    for (const d of after.values()) count(report.candidate, d);
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(key);
      const b = after.get(key);
      const from = a ? summarise(a) : null;
      const to = b ? summarise(b) : null;
      if (from && to && sameSummary(from, to)) {
        report.unchanged += 1;
        continue;
      }
      report.changed += 1;
      const any = (a ?? b)!;
      if (report.examples.length < maxExamples) {
        report.examples.push({ customerId: ctx.customer.id, receivableIds: [...any.receivableIds], channel: any.channel, current: from, candidate: to });
      }
    }
  }
  return report;
}
