import { renderRecoveryPage, type ChartSeries } from './chart-html.js';
import { formatRate, type OffPolicySummary } from './off-policy-log.js';
import type { SimulationResult } from './run-simulation.js';
import { compareRuns, describeRun, describeSetup, ratio, summarise } from './summary.js';

/**
 * report.json and the chart page for one `recoup simulate` call: the requested policy's run, and
 * with --compare the other policy's run on the same seeded world and the ratios between them.
 */

function series(result: SimulationResult): ChartSeries {
  const overdue = result.totals.amountOverdueMinor;
  return { summary: summarise(result), daily: result.recoveredByDay.map((recovered) => ratio(recovered, overdue)) };
}

export function buildReport(runs: readonly SimulationResult[], command: string) {
  const first = runs[0];
  if (!first) throw new Error('buildReport needs at least one run');
  const ai = runs.find((r) => r.options.policy === 'ai');
  const baseline = runs.find((r) => r.options.policy === 'baseline');
  return {
    command,
    setup: describeSetup(first),
    summaries: runs.map(summarise),
    runs: runs.map(describeRun),
    ...(ai && baseline ? { comparison: compareRuns(summarise(ai), summarise(baseline)) } : {}),
  };
}

export function buildChartPage(runs: readonly SimulationResult[]): string {
  const first = runs[0];
  if (!first) throw new Error('buildChartPage needs at least one run');
  const setup = describeSetup(first);
  const text = `${setup.customers} synthetic debtors, ${setup.days} days, seed ${setup.seed}, amounts in ${setup.currency}. ${setup.dueDates}. Baseline: ${setup.baselineSchedule}.`;
  const ope = runs.find((r) => r.offPolicy)?.offPolicy;
  return renderRecoveryPage(runs.map(series), ope ? `${text} ${describeOffPolicy(ope)}` : text);
}

/** One sentence for the chart page: the candidates as the learning run's log estimates them, and the control group's check. */
function describeOffPolicy(ope: OffPolicySummary): string {
  const estimates = ope.candidates.map((c) => `${c.name} ${formatRate(c.doublyRobust.value)} (95% ${formatRate(c.doublyRobust.interval[0])}-${formatRate(c.doublyRobust.interval[1])})`);
  return `Off-policy, paid within the outcome window of a decision, estimated doubly robust from ${ope.policy.decisions} logged decisions of the learning policy (observed ${formatRate(ope.policy.paidRate)}): ${estimates.join(', ') || ope.note}; the control group on the real schedule observed ${formatRate(ope.control.paidRate)}.`;
}
