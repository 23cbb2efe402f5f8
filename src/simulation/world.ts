import type { Channel, PlannedContact } from './channels.js';
import { contactsInLastDays, type Ledger } from './ledger.js';
import type { Debtor } from './population.js';
import { createRandom, type Random } from './random.js';

/**
 * How debtors respond. Rewards sensible collection, not any one policy: the right channel and hour
 * get noticed, a noticed reminder makes a willing, able person pay, each extra contact in a week
 * is noticed less, persuades less, hardens the person and risks a complaint or an opt-out, and a
 * self-curer pays whatever anyone does. Nobody with zero ability ever pays.
 */

/** Of those who notice a reminder and can pay, how many a reminder on each channel moves to pay. */
const PERSUASION: Record<Channel, number> = { sms: 0.75, email: 0.7, voice: 0.95, push: 0.6, wechat: 0.8, app: 0.8 };
/** How much a contact on each channel intrudes: it scales the chance of a complaint. */
const INTRUSION: Record<Channel, number> = { sms: 1, email: 0.4, voice: 3, push: 0.7, wechat: 0.8, app: 0.5 };
/** A debt gets harder to collect as it ages: a reminder persuades half as well after about three weeks. */
const AGEING_DAYS = 25;
/** A self-curer pays on their own schedule (payday, back from a trip): a reminder barely moves it. */
const SELF_CURER_PERSUASION = 0.25;
/** Each earlier message on a channel this episode leaves the next one on it this much as likely to be noticed. */
const HABITUATION = 0.88;
/** Each contact in the past week, on any channel, leaves the next one this much as likely to be noticed. */
const FATIGUE = 0.85;

export interface ContactOutcome {
  engaged: boolean;
  complained: boolean;
  optedOut: boolean;
}

interface HiddenState {
  will: number;
  /** Payments the person has decided on: day, and whether they pay all or half of what is left. */
  promised: { day: number; half: boolean }[];
  cure: Random;
  response: Random;
}

/** Reachability by hour: full at the person's peak, 30% far from it. */
export function hourFactor(peakHour: number, localHour: number): number {
  const distance = localHour + 0.5 - peakHour;
  return 0.3 + 0.7 * Math.exp(-(distance * distance) / 8);
}

export class World {
  readonly #debtors: readonly Debtor[];
  readonly #hidden: HiddenState[];

  constructor(debtors: readonly Debtor[], seed: number) {
    this.#debtors = debtors;
    // Two streams per debtor keep self-cure draws identical whatever the policy does to the other.
    this.#hidden = debtors.map((d) => ({
      will: d.traits.will,
      promised: [],
      cure: createRandom((seed ^ Math.imul(d.profile.index + 1, 0x9e3779b1)) >>> 0),
      response: createRandom((seed ^ Math.imul(d.profile.index + 1, 0x85ebca6b) ^ 0x5bd1e995) >>> 0),
    }));
  }

  /** The receipt of one contact, and (hidden) whether it moved the person to pay. */
  contact(index: number, ledger: Ledger, contact: PlannedContact, day: number): ContactOutcome {
    const { traits, profile } = this.#debtors[index]!;
    const hidden = this.#hidden[index]!;
    const random = hidden.response;
    const recent = contactsInLastDays(ledger, day, 7);
    const onChannel = contactsInLastDays(ledger, day, 14, contact.channel);
    const reach = hourFactor(traits.peakHour, contact.localHour);
    // Habituation: every earlier message on the same channel this episode makes the next one easier to ignore.
    const earlierOnChannel = contactsInLastDays(ledger, day, day + 1, contact.channel);
    const notice = traits.responsiveness[contact.channel] * reach * HABITUATION ** earlierOnChannel * FATIGUE ** recent;
    const engaged = random.next() < notice;
    const firm = contact.variant === 'firm';
    // A message at an inconvenient hour annoys more than one at the person's usual time.
    const inconvenience = 1.6 - reach;
    const complaintChance =
      (engaged ? 0.006 : contact.channel === 'voice' ? 0.002 : 0) * traits.complaintSensitivity * INTRUSION[contact.channel] * (1 + 0.6 * recent) * (firm ? 1.6 : 1) * inconvenience;
    const complained = random.next() < complaintChance;
    // Opt-outs come from repetition on one channel, noticed or not: people block senders that keep at it.
    const optedOut = random.next() < 0.003 * traits.optOutSensitivity * (1 + onChannel) ** 1.5 * inconvenience;
    if (engaged && recent >= 2) hidden.will *= 1 - 0.06 * Math.min(traits.complaintSensitivity, 2);
    if (engaged && !complained) {
      const tone = firm ? (traits.firmResponder ? 1.3 : 0.75) : 1;
      const daysPastDue = day - profile.dueDay;
      const selfCurer = traits.selfCureHazard > 0 ? SELF_CURER_PERSUASION : 1;
      const pay = (traits.ability * hidden.will * PERSUASION[contact.channel] * tone * selfCurer * Math.exp(-daysPastDue / AGEING_DAYS)) / (1 + 0.3 * recent);
      if (random.next() < pay) hidden.promised.push({ day: day + Math.floor(random.next() * 3), half: traits.ability < 0.55 && random.next() < 0.5 });
    }
    return { engaged, complained, optedOut };
  }

  /** What the person pays on `day`, in minor units: a decided payment falling due, or a self-cure. */
  settle(index: number, ledger: Ledger, day: number): bigint {
    const { traits, profile } = this.#debtors[index]!;
    const hidden = this.#hidden[index]!;
    if (ledger.outstandingMinor <= 0n || day <= profile.dueDay) return 0n;
    // Drawn every day, paid or not, so this stream stays in step across policies.
    const unprompted = hidden.cure.next() < traits.selfCureHazard + 0.002 * traits.ability * hidden.will;
    const dueIndex = hidden.promised.findIndex((p) => p.day <= day);
    if (dueIndex >= 0) {
      const [promise] = hidden.promised.splice(dueIndex, 1);
      return promise!.half && ledger.outstandingMinor > 1n ? ledger.outstandingMinor / 2n : ledger.outstandingMinor;
    }
    return unprompted && traits.ability > 0 ? ledger.outstandingMinor : 0n;
  }
}
