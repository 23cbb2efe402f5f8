import type { Channel } from './channels.js';
import { createRandom, type Random } from './random.js';

/**
 * Synthetic debtors. Each has a profile (what a real system holds: locale, time zone, reachable
 * channels, the receivable, past episodes) and hidden traits (what only the world knows: whether and
 * how they will pay, and how they react to being contacted). Policies are handed profiles and the
 * contact ledger, never traits: that separation is what keeps the backtest honest.
 */

export type Locale = 'zh-CN' | 'en';
export type ReceivableKind = 'order' | 'bill' | 'instalment';
export type AgeBand = 'under-30' | '30-50' | 'over-50';

export interface DebtorProfile {
  id: string;
  index: number;
  locale: Locale;
  /** From the date of birth on file: a customer attribute any lender holds. */
  ageBand: AgeBand;
  timezone: string;
  /** Channels with an identity on file and consent: the only ones anybody may use. */
  channels: readonly Channel[];
  kind: ReceivableKind;
  amountMinor: bigint;
  /** Simulation day on which the receivable falls due; day dueDay + 1 is 1 day past due. */
  dueDay: number;
  /** Earlier overdue episodes of this customer, and how many of them were paid before any contact. */
  priorEpisodes: number;
  priorSelfCures: number;
}

export interface DebtorTraits {
  /** Share of the debt the person can pay at all; 0 means never. */
  ability: number;
  /** Inclination to pay when reminded; erodes when over-contacted. */
  will: number;
  /** Daily chance of paying unprompted (forgot, paid on payday); 0 for people who need a nudge. */
  selfCureHazard: number;
  /** Chance that a contact on each channel is noticed (read, answered) at the person's best hour. */
  responsiveness: Readonly<Record<Channel, number>>;
  /** Local hour at which the person is most reachable. */
  peakHour: number;
  /** Responds better to a firm tone than to a gentle one. */
  firmResponder: boolean;
  /** Multiplies the chance of a complaint per contact; mostly small, a few are very sensitive. */
  complaintSensitivity: number;
  /** Multiplies the chance of opting out of a channel after a contact on it. */
  optOutSensitivity: number;
}

export interface Debtor {
  profile: DebtorProfile;
  traits: DebtorTraits;
}

export interface PopulationOptions {
  customers: number;
  seed: number;
  /** Receivables fall due on days [0, dueWithinDays): every debtor is followed for the rest of the run. */
  dueWithinDays: number;
}

const ZONES: Record<Locale, readonly string[]> = {
  'zh-CN': ['Asia/Shanghai', 'Asia/Shanghai', 'Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong'],
  en: ['Asia/Singapore', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney'],
};

/** How reachable each channel is on average: WeChat rules in China, SMS and email elsewhere. */
const BASE_RESPONSIVENESS: Record<Locale, Record<Channel, number>> = {
  'zh-CN': { sms: 0.22, email: 0.12, voice: 0.4, push: 0.3, wechat: 0.55, app: 0.4 },
  en: { sms: 0.45, email: 0.4, voice: 0.35, push: 0.3, wechat: 0.3, app: 0.35 },
};

function reachableChannels(locale: Locale, random: Random): Channel[] {
  const hasApp = random.chance(locale === 'zh-CN' ? 0.6 : 0.45);
  const channels: Channel[] = [];
  if (random.chance(0.96)) channels.push('sms');
  if (random.chance(locale === 'zh-CN' ? 0.5 : 0.85)) channels.push('email');
  if (random.chance(0.9)) channels.push('voice');
  if (hasApp && random.chance(0.8)) channels.push('push');
  if (locale === 'zh-CN' && random.chance(0.85)) channels.push('wechat');
  if (hasApp) channels.push('app');
  if (channels.length === 0) channels.push('sms');
  return channels;
}

function amountFor(kind: ReceivableKind, random: Random): bigint {
  const yuan = kind === 'order' ? random.int(50, 600) : kind === 'bill' ? random.int(30, 400) : random.int(300, 5000);
  return BigInt(yuan) * 100n + BigInt(random.int(0, 99));
}

/** Younger people live in apps and answer in the evening; older ones pick up the phone in the morning. */
const AGE_CHANNEL_FACTOR: Record<AgeBand, Partial<Record<Channel, number>>> = {
  'under-30': { app: 1.5, push: 1.4, wechat: 1.2, voice: 0.6, email: 0.8 },
  '30-50': {},
  'over-50': { voice: 1.5, sms: 1.3, app: 0.6, push: 0.6, wechat: 0.9 },
};
/** Shares of morning, lunchtime and evening people in each age band. */
const AGE_PEAK_SHARES: Record<AgeBand, readonly [number, number]> = {
  'under-30': [0.1, 0.3],
  '30-50': [0.25, 0.5],
  'over-50': [0.6, 0.85],
};

function responsivenessFor(locale: Locale, ageBand: AgeBand, random: Random): Record<Channel, number> {
  const base = BASE_RESPONSIVENESS[locale];
  const favourite = random.pick(Object.keys(base) as Channel[]);
  const result = {} as Record<Channel, number>;
  for (const [channel, mean] of Object.entries(base) as [Channel, number][]) {
    const personal = mean * (AGE_CHANNEL_FACTOR[ageBand][channel] ?? 1) * (0.3 + 1.4 * random.next()) * (channel === favourite ? 1.8 : 1);
    result[channel] = Math.min(0.95, personal);
  }
  return result;
}

function peakHourFor(ageBand: AgeBand, random: Random): number {
  const roll = random.next();
  const [morning, lunch] = AGE_PEAK_SHARES[ageBand];
  const centre = roll < morning ? 9 : roll < lunch ? 12.5 : 19.5;
  return centre + (random.next() - 0.5) * 3;
}

function traitsFor(locale: Locale, ageBand: AgeBand, random: Random): DebtorTraits {
  const broke = random.chance(0.14);
  const selfCurer = !broke && random.chance(0.2);
  const sensitivity = random.chance(0.06) ? 4 : random.chance(0.25) ? 1.2 : 0.25;
  return {
    ability: broke ? 0 : 0.35 + 0.65 * random.next(),
    will: selfCurer ? 0.8 + 0.2 * random.next() : 0.25 + 0.75 * random.next(),
    selfCureHazard: selfCurer ? 0.06 + 0.2 * random.next() : 0,
    responsiveness: responsivenessFor(locale, ageBand, random),
    peakHour: peakHourFor(ageBand, random),
    firmResponder: random.chance(0.4),
    complaintSensitivity: sensitivity,
    optOutSensitivity: sensitivity * (0.5 + random.next()),
  };
}

/** Past behaviour is evidence, not truth: a self-curer usually, not always, self-cured before. */
function historyFor(traits: DebtorTraits, random: Random): { priorEpisodes: number; priorSelfCures: number } {
  const priorEpisodes = random.chance(0.45) ? 0 : random.int(1, 4);
  const cureChance = traits.selfCureHazard > 0 ? 0.75 : 0.12;
  let priorSelfCures = 0;
  for (let i = 0; i < priorEpisodes; i++) if (random.chance(cureChance)) priorSelfCures++;
  return { priorEpisodes, priorSelfCures };
}

function debtorAt(index: number, dueWithinDays: number, random: Random): Debtor {
  const locale: Locale = random.chance(0.7) ? 'zh-CN' : 'en';
  const kind = random.pick(['order', 'bill', 'instalment'] as const);
  const ageBand = random.pick(['under-30', '30-50', 'over-50'] as const);
  const traits = traitsFor(locale, ageBand, random);
  const profile: DebtorProfile = {
    id: `sim-c${String(index).padStart(6, '0')}`,
    index,
    locale,
    ageBand,
    timezone: random.pick(ZONES[locale]),
    channels: reachableChannels(locale, random),
    kind,
    amountMinor: amountFor(kind, random),
    dueDay: random.int(0, dueWithinDays - 1),
    ...historyFor(traits, random),
  };
  return { profile, traits };
}

/** The same seed gives the same debtors, whichever policy then works them. */
export function generatePopulation(options: PopulationOptions): Debtor[] {
  if (!(Number.isInteger(options.customers) && options.customers > 0)) throw new RangeError('customers must be a positive whole number');
  if (!(Number.isInteger(options.dueWithinDays) && options.dueWithinDays > 0)) throw new RangeError('dueWithinDays must be a positive whole number');
  const random = createRandom(options.seed);
  return Array.from({ length: options.customers }, (_, i) => debtorAt(i, options.dueWithinDays, random));
}
