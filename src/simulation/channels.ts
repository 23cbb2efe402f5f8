/**
 * The contact vocabulary the simulator shares with the policies: channels, template variants and
 * send-hour buckets. Costs are in the portfolio's minor units (fen: the simulated portfolio is CNY).
 */

/** The simulated portfolio's currency: every amount in a run is in it, so totals add up exactly. */
export const SIMULATION_CURRENCY = 'CNY';

export const CHANNELS = ['sms', 'email', 'voice', 'push', 'wechat', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];

export const VARIANTS = ['gentle', 'firm'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Cost of one contact: an SMS is 0.05 CNY, a collector's call about 3 CNY of agent time. */
export const CHANNEL_COST_MINOR: Readonly<Record<Channel, bigint>> = {
  sms: 5n,
  email: 1n,
  voice: 300n,
  push: 1n,
  wechat: 3n,
  app: 1n,
};

/** Local contact window, [start, end) in hours: 08:00-21:00 in the debtor's own time zone. */
export const CONTACT_WINDOW_HOURS = { start: 8, end: 21 } as const;

/**
 * The bandit learns per coarse part of the day rather than per hour: 13 hours × 12 channel-variants
 * would spread the evidence too thin. The exact hour inside a bucket comes from the send-time model.
 */
export const HOUR_BUCKETS = [
  { index: 0, label: 'morning', from: 8, to: 12 },
  { index: 1, label: 'afternoon', from: 12, to: 17 },
  { index: 2, label: 'evening', from: 17, to: 21 },
] as const;

export function hourBucketOf(localHour: number): number {
  for (const bucket of HOUR_BUCKETS) if (localHour >= bucket.from && localHour < bucket.to) return bucket.index;
  throw new RangeError(`hour ${localHour} is outside the contact window`);
}

export interface PlannedContact {
  channel: Channel;
  variant: Variant;
  /** Hour of the day in the debtor's time zone, inside CONTACT_WINDOW_HOURS. */
  localHour: number;
}
