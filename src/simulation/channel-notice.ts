import type { BetaParams } from '../decisioning/policy/index.js';
import { CHANNELS, type Channel } from './channels.js';
import type { CaseView } from './policy.js';
import type { Locale } from './population.js';

/**
 * Personal channel fit from read receipts. The segmented bandit knows how well each arm works for a
 * kind of case; it cannot know that this person reads WeChat and ignores SMS. Receipts show that, so
 * each arm's belief is scaled by the person's notice rate on its channel relative to their locale's
 * (the person's own rate shrunk toward the locale's with PERSONAL_PRIOR pseudo-contacts), keeping the
 * belief's strength: the response-model route decide() documents (a prediction as pseudo-counts).
 */

const PERSONAL_PRIOR = 2;

interface Counts {
  sent: number;
  noticed: number;
}

export class ChannelNoticeModel {
  readonly #byLocale = new Map<Locale, Record<Channel, Counts>>();

  #counts(locale: Locale): Record<Channel, Counts> {
    let counts = this.#byLocale.get(locale);
    if (!counts) {
      counts = Object.fromEntries(CHANNELS.map((c) => [c, { sent: 0, noticed: 0 }])) as Record<Channel, Counts>;
      this.#byLocale.set(locale, counts);
    }
    return counts;
  }

  record(locale: Locale, channel: Channel, noticed: boolean): void {
    const counts = this.#counts(locale)[channel];
    counts.sent++;
    if (noticed) counts.noticed++;
  }

  /** How much more (above 1) or less likely than their locale this person is to notice `channel`. */
  multiplier(view: CaseView, channel: Channel): number {
    const locale = this.#counts(view.profile.locale)[channel];
    const localeRate = (locale.noticed + 1) / (locale.sent + 2);
    let sent = 0;
    let noticed = 0;
    for (const contact of view.ledger.contacts) {
      if (contact.channel !== channel) continue;
      sent++;
      if (contact.engaged) noticed++;
    }
    if (sent === 0) return 1;
    return (noticed + PERSONAL_PRIOR * localeRate) / (sent + PERSONAL_PRIOR) / localeRate;
  }
}

/** The belief with its mean scaled by `factor` (kept inside (0, 1)) and its strength unchanged. */
export function scaleBelief(belief: BetaParams, factor: number): BetaParams {
  if (factor === 1) return belief;
  const strength = belief.alpha + belief.beta;
  const mean = Math.min(0.99, Math.max(1e-4, (belief.alpha / strength) * factor));
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}
