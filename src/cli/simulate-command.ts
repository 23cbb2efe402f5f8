import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildChartPage, buildReport, compareRuns, OUTCOME_DAYS, runSimulation, SIMULATION_CURRENCY, formatRate, summarise, type OffPolicySummary, type PolicyName, type SimulationResult, type SimulationSummary } from '../simulation/index.js';
import { UsageError } from './usage-error.js';

const USAGE = 'usage: recoup simulate --customers N --days D --policy ai|baseline --seed S [--out DIR] [--compare] [--json]';
const MAX_CUSTOMERS = 1_000_000;
const MAX_DAYS = 730;

interface SimulateArgs {
  customers: number;
  days: number;
  policy: PolicyName;
  seed: number;
  out: string | undefined;
  compare: boolean;
  json: boolean;
}

function wholeNumber(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined) throw new UsageError(`--${flag} is required; ${USAGE}`);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function parseSimulateArgs(args: string[]): SimulateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        customers: { type: 'string' },
        days: { type: 'string' },
        policy: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        compare: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  const { values } = parsed;
  const policy = values.policy;
  if (policy === undefined) throw new UsageError(`--policy is required; ${USAGE}`);
  if (policy !== 'ai' && policy !== 'baseline') throw new UsageError(`--policy must be ai or baseline, got ${JSON.stringify(policy)}`);
  return {
    customers: wholeNumber('customers', values.customers, 1, MAX_CUSTOMERS),
    // Two days is the least in which a receivable can fall due and then be one day past due.
    days: wholeNumber('days', values.days, 2, MAX_DAYS),
    policy,
    seed: wholeNumber('seed', values.seed, 0, 0xffffffff),
    out: values.out,
    compare: values.compare,
    json: values.json,
  };
}

/** Refuses an --out that exists and is not a directory before any work is done. */
function prepareOutDir(dir: string): void {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = undefined;
  }
  if (isDirectory === false) throw new UsageError(`--out must be a directory, and ${dir} is a file`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create --out directory ${dir}: ${(error as Error).message}`);
  }
}

function describe(summary: SimulationSummary, result: SimulationResult): string {
  const lines = [
    `${summary.policy.padEnd(8)} recovered ${(summary.recoveryRate * 100).toFixed(2)}% (${summary.amountRecovered} of ${summary.amountOverdue} ${SIMULATION_CURRENCY})   contacts ${summary.contacts}   complaints ${summary.complaints}   opt-outs ${summary.optOuts}   cost ${summary.costTotal} ${SIMULATION_CURRENCY}   ${result.seconds.toFixed(1)} s`,
  ];
  if (result.groups) {
    const control = summarise({ ...result, totals: result.groups.control });
    const policy = summarise({ ...result, totals: result.groups.policy });
    lines.push(`         learning group ${(policy.recoveryRate * 100).toFixed(2)}% with ${policy.contacts} contacts; 5% control group on the baseline schedule ${(control.recoveryRate * 100).toFixed(2)}% with ${control.contacts} contacts`);
  }
  if (result.offPolicy) lines.push(...describeOffPolicy(result.offPolicy));
  return lines.join('\n');
}

/** The off-policy estimates from the learning run's own log, beside what the log and the control group observed. */
function describeOffPolicy(ope: OffPolicySummary): string[] {
  const lines = [`         off-policy, paid within ${OUTCOME_DAYS} days of a decision: learning policy observed ${formatRate(ope.policy.paidRate)} (${ope.policy.decisions} logged decisions); control group observed ${formatRate(ope.control.paidRate)} (${ope.control.decisions} windows)`];
  for (const c of ope.candidates) {
    const [low, high] = c.doublyRobust.interval;
    lines.push(`           ${c.name.padEnd(8)} estimated ${formatRate(c.doublyRobust.value)} doubly robust (95% ${formatRate(low)}-${formatRate(high)}), IPS ${formatRate(c.ips.value)}, SNIPS ${formatRate(c.snips.value)}, effective sample ${c.effectiveSampleSize}`);
  }
  if (ope.note) lines.push(`           no estimate: ${ope.note}`);
  return lines;
}

/** `recoup simulate`: a seeded backtest on a virtual clock; prints KPIs, optionally writes report.json and chart.html. */
export async function runSimulate(args: string[]): Promise<number> {
  const options = parseSimulateArgs(args);
  if (options.out !== undefined) prepareOutDir(options.out);
  const policies: PolicyName[] = options.compare ? [options.policy, options.policy === 'ai' ? 'baseline' : 'ai'] : [options.policy];
  const results = policies.map((policy) => runSimulation({ customers: options.customers, days: options.days, policy, seed: options.seed }));
  const summaries = results.map(summarise);
  process.stdout.write(`simulate: ${options.customers} debtors, ${options.days} days, seed ${options.seed}\n`);
  results.forEach((result, i) => process.stdout.write(`${describe(summaries[i]!, result)}\n`));
  const ai = summaries.find((s) => s.policy === 'ai');
  const baseline = summaries.find((s) => s.policy === 'baseline');
  if (ai && baseline) {
    const c = compareRuns(ai, baseline);
    process.stdout.write(`ai vs baseline: recovery x${c.recoveryRatio ?? 'n/a'}, contacts x${c.contactsRatio ?? 'n/a'}, complaints ${ai.complaints} vs ${baseline.complaints}, opt-outs ${ai.optOuts} vs ${baseline.optOuts}\n`);
  }
  if (options.out !== undefined) {
    const command = `recoup simulate ${args.join(' ')}`;
    writeFileSync(join(options.out, 'report.json'), `${JSON.stringify(buildReport(results, command), null, 2)}\n`);
    writeFileSync(join(options.out, 'chart.html'), buildChartPage(results));
    process.stdout.write(`wrote ${join(options.out, 'report.json')} and ${join(options.out, 'chart.html')}\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summaries[0])}\n`);
  return 0;
}
