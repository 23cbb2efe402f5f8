/** The simulator: synthetic debtors with hidden traits, the baseline schedule, the learning policy, backtests. */
export { AiPolicy, ALL_ARMS, OUTCOME_DAYS, SIMULATION_EV_CONFIG, type AiPolicyOptions } from './ai-policy.js';
export { BASELINE_HOUR, baselineContact, createBaselinePolicy } from './baseline-policy.js';
export { CHANNELS, CHANNEL_COST_MINOR, SIMULATION_CURRENCY, VARIANTS, type Channel, type PlannedContact, type Variant } from './channels.js';
export { allowedChannels, checkContact, CONTACT_RULES } from './contact-rules.js';
export { baselineInWindow, formatRate, OffPolicyLog, type OffPolicyOptions, type OffPolicySummary } from './off-policy-log.js';
export type { CaseView, SimulationPolicy } from './policy.js';
export { generatePopulation, type Debtor, type DebtorProfile, type DebtorTraits } from './population.js';
export { buildChartPage, buildReport } from './report.js';
export { DEFAULT_START, runSimulation, type PolicyFactory, type PolicyName, type SimulationOptions, type SimulationResult } from './run-simulation.js';
export { compareRuns, summarise, type SimulationSummary } from './summary.js';
export { World } from './world.js';
