import { formatMinor } from '../../core/money.js';

/**
 * The action scorer. The value of contacting someone is what it adds over leaving them alone:
 *   EV(a) = (p(pay | a) − p(pay | wait)) × outstanding − channel cost(a) − annoyance(a)
 * so 'wait' is worth exactly 0 and wins whenever no contact adds value, which is what keeps
 * likely self-curers undisturbed.
 *
 * Money never passes through a float: the uplift is turned into integer parts per million first,
 * then multiplied with the bigint amount. A ppm grid loses at most 0.5 ppm of the amount to rounding
 * (half a minor unit on 1,000,000.00), far below what any payment model can resolve.
 */

export type ContactAction = { kind: 'contact'; id: string; channel: string; variant?: string; hourBucket?: number };
export type WaitAction = { kind: 'wait'; id: 'wait' };
export type PolicyAction = ContactAction | WaitAction;

export const WAIT: WaitAction = { kind: 'wait', id: 'wait' };

export interface CandidateAction {
  action: ContactAction;
  /** p(pay | this action), from the response model or a bandit draw. */
  pPay: number;
}

export interface ExpectedValueConfig {
  /** Cost of one message per channel in the portfolio's minor units (e.g. sms: 5n for 0.05). */
  channelCostMinor: Readonly<Record<string, bigint>>;
  annoyance: {
    /** The (n+1)-th contact in 7 days costs (n+1) × this: each extra contact hurts more than the last. */
    perRecentContactMinor: bigint;
    /** Added per complaint on record: complainers are the people most likely to escalate. */
    perComplaintMinor: bigint;
    /** Integer percent per channel, 100 when absent: a call intrudes more than an email. */
    channelIntrusivenessPercent?: Readonly<Record<string, number>>;
  };
}

export interface ScoreRequest {
  candidates: readonly CandidateAction[];
  pPayIfWait: number;
  outstandingMinor: bigint;
  currency: string;
  contactsLast7Days: number;
  complaints: number;
}

export interface ScoredAction {
  action: PolicyAction;
  evMinor: bigint;
  /** p(pay | action) − p(pay | wait); 0 for wait. */
  uplift: number;
  gainMinor: bigint;
  costMinor: bigint;
  annoyanceMinor: bigint;
  /** Up to three human-readable reasons, largest contribution first. */
  reasons: string[];
}

export type ScoreResult =
  | { ok: true; ranked: ScoredAction[] }
  | { ok: false; error: { type: 'unknown_channel_cost'; channel: string; message: string } };

const PPM = 1_000_000n;

/** Probability × amount in minor units, rounded half away from zero, without a float on the money. */
export function multiplyByProbability(amountMinor: bigint, probability: number): bigint {
  if (!Number.isFinite(probability) || Math.abs(probability) > 1) throw new RangeError(`probability must be in [-1, 1], got ${probability}`);
  const ppm = BigInt(Math.round(probability * 1_000_000));
  const product = amountMinor * ppm;
  const half = PPM / 2n;
  return product >= 0n ? (product + half) / PPM : -((-product + half) / PPM);
}

/** "1,280.00": the decimal form of core/money with thousands grouped, for reasons people read. */
export function formatAmount(minor: bigint, currency: string): string {
  const plain = formatMinor(minor, currency);
  const [whole = '', fraction] = plain.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${p}`);
}

/** Annoyance of one more contact on `channel`, in minor units. */
export function annoyancePenalty(config: ExpectedValueConfig['annoyance'], channel: string, contactsLast7Days: number, complaints: number): bigint {
  const base = config.perRecentContactMinor * BigInt(contactsLast7Days + 1) + config.perComplaintMinor * BigInt(complaints);
  const percent = BigInt(Math.round(config.channelIntrusivenessPercent?.[channel] ?? 100));
  return (base * percent) / 100n;
}

function formatPercent(fraction: number): string {
  const value = (fraction * 100).toFixed(1);
  return fraction >= 0 ? `+${value}%` : `${value}%`;
}

function scoreContact(request: ScoreRequest, config: ExpectedValueConfig, candidate: CandidateAction, cost: bigint, withReasons: boolean): ScoredAction {
  const { action, pPay } = candidate;
  checkProbability(`pPay of ${action.id}`, pPay);
  const uplift = pPay - request.pPayIfWait;
  const gainMinor = multiplyByProbability(request.outstandingMinor, uplift);
  const annoyanceMinor = annoyancePenalty(config.annoyance, action.channel, request.contactsLast7Days, request.complaints);
  const evMinor = gainMinor - cost - annoyanceMinor;
  if (!withReasons) return { action, evMinor, uplift, gainMinor, costMinor: cost, annoyanceMinor, reasons: [] };
  const money = (minor: bigint) => formatAmount(minor, request.currency);
  const complaintText = request.complaints > 0 ? `, ${request.complaints} complaint${request.complaints === 1 ? '' : 's'}` : '';
  const contributions: Array<[bigint, string]> = [
    [gainMinor, `uplift ${formatPercent(uplift)} on ${money(request.outstandingMinor)}`],
    [cost, `${action.channel} cost ${money(cost)}`],
    [annoyanceMinor, `annoyance: ${request.contactsLast7Days} contact${request.contactsLast7Days === 1 ? '' : 's'} in 7 days${complaintText} (${money(annoyanceMinor)})`],
  ];
  const reasons = contributions
    .filter(([minor], index) => index === 0 || minor !== 0n)
    .sort(([a], [b]) => (abs(b) > abs(a) ? 1 : abs(b) < abs(a) ? -1 : 0))
    .map(([, text]) => text);
  return { action, evMinor, uplift, gainMinor, costMinor: cost, annoyanceMinor, reasons };
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function scoreWait(request: ScoreRequest, bestContact: ScoredAction | undefined): ScoredAction {
  const reasons = [`p(pay) ${(request.pPayIfWait * 100).toFixed(1)}% without contact`];
  if (bestContact && bestContact.evMinor <= 0n) {
    reasons.push(`no contact has positive expected value (best: ${bestContact.action.id} ${formatAmount(bestContact.evMinor, request.currency)})`);
  } else if (!bestContact) {
    reasons.push('no contact action is allowed');
  }
  return { action: WAIT, evMinor: 0n, uplift: 0, gainMinor: 0n, costMinor: 0n, annoyanceMinor: 0n, reasons };
}

/**
 * Ranks every allowed contact and 'wait' by expected value; ties go to 'wait', then to the action id.
 * `reasons: false` skips the text, for callers that rank hundreds of times (propensity estimation).
 */
export function scoreActions(request: ScoreRequest, config: ExpectedValueConfig, options: { reasons?: boolean } = {}): ScoreResult {
  const withReasons = options.reasons ?? true;
  checkProbability('pPayIfWait', request.pPayIfWait);
  const contacts: ScoredAction[] = [];
  for (const candidate of request.candidates) {
    const cost = config.channelCostMinor[candidate.action.channel];
    if (cost === undefined) {
      const channel = candidate.action.channel;
      return { ok: false, error: { type: 'unknown_channel_cost', channel, message: `no cost configured for channel "${channel}": add it to channelCostMinor` } };
    }
    contacts.push(scoreContact(request, config, candidate, cost, withReasons));
  }
  const bestContact = [...contacts].sort(compareScored)[0];
  const wait = withReasons ? scoreWait(request, bestContact) : { ...scoreWait(request, undefined), reasons: [] };
  const ranked = [wait, ...contacts].sort(compareScored);
  return { ok: true, ranked };
}

function compareScored(a: ScoredAction, b: ScoredAction): number {
  if (a.evMinor !== b.evMinor) return a.evMinor > b.evMinor ? -1 : 1;
  if (a.action.kind !== b.action.kind) return a.action.kind === 'wait' ? -1 : 1;
  return a.action.id < b.action.id ? -1 : a.action.id > b.action.id ? 1 : 0;
}
