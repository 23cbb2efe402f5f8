import { DAY_MS, HOUR_MS, zoneClock } from '../../strategy/zone-clock.js';

/**
 * The send hour as a learning arm: the part of the debtor's local day a reminder goes out in. The
 * strategy gives the earliest instant it allows; the learning policy may instead hold the reminder
 * for a later part of the same local day, when people of that stage answer that channel more often.
 * Buckets rather than single hours so that each gathers outcomes quickly enough to learn from.
 */
export const SEND_HOUR_BUCKETS = [
  { name: 'morning', fromHour: 8, toHour: 12 },
  { name: 'afternoon', fromHour: 12, toHour: 17 },
  { name: 'evening', fromHour: 17, toHour: 21 },
] as const;

export type SendHourBucket = (typeof SEND_HOUR_BUCKETS)[number]['name'];

export interface HourOption {
  bucket: SendHourBucket;
  /** When the reminder would go out in this bucket: the earliest allowed instant for its own bucket, else the bucket's start. */
  at: Date;
}

/** Outcome key of a channel arm in one send-hour bucket, e.g. `m1:sms@evening`. */
export const sendHourKey = (arm: string, bucket: string) => `${arm}@${bucket}`;

/**
 * The buckets still to come on the local day of `earliest`: the one it falls in (an instant before
 * the first bucket counts as morning) at `earliest` itself, and each later one at its start. None
 * when `earliest` is after the last bucket (a policy that allows late evenings): then it goes as planned.
 */
export function hourOptions(earliest: Date, timezone: string | undefined): HourOption[] {
  const clock = zoneClock(timezone ?? 'UTC') ?? zoneClock('UTC')!;
  const wall = clock.toWall(earliest.getTime());
  const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
  const hour = (wall - dayStart) / HOUR_MS;
  const options: HourOption[] = [];
  for (const bucket of SEND_HOUR_BUCKETS) {
    if (hour >= bucket.toHour) continue;
    const at = options.length === 0 ? earliest : new Date(clock.fromWall(dayStart + bucket.fromHour * HOUR_MS));
    options.push({ bucket: bucket.name, at });
  }
  return options;
}
