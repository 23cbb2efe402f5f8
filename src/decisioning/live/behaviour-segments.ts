import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { createRandom } from '../../simulation/random.js';
import { assignSegment, type BehaviourFeatures, FEATURE_NAMES, fitSegments, HOURS_PER_WEEK, type SegmentModel, type SegmentName } from '../policy/index.js';
import { loadBehaviour, type ObservedBehaviour, SLOWEST_HOURS_TO_PAY } from './behaviour-features.js';
import { answeredByHourOfWeek } from './send-time-profile.js';

/**
 * Behaviour segments of the live portfolio ("responds fast", "needs a call", "sensitive to contact",
 * "slow payer", "self-cures"), found by k-means on a sample of recently contacted or overdue debtors
 * (policy/segments.ts) and refitted at most hourly; each debtor is placed in the nearest one from
 * their own behaviour. A segment also carries when its members answer, the prior that a person's
 * best time to reach leans on while their own answers are few.
 */
export const SEGMENT_LOOKBACK_DAYS = 180;
/** Enough debtors for five clusters to mean something; a smaller portfolio has no segments yet. */
export const MIN_CUSTOMERS_TO_SEGMENT = 50;
// A sample this size fits in well under a second and describes a portfolio of millions as well as all of it would.
const SAMPLE_SIZE = 20_000;
const FIT_TTL_MS = 3_600_000;
// Fixed, so that the same behaviour gives the same segments (and names) from one fit to the next.
const FIT_SEED = 0x5e9;

export interface CustomerSegment {
  name: SegmentName;
  /** Debtors in the fitted sample placed in this segment, and the sample's size. */
  members: number;
  fittedOn: number;
  lookbackDays: number;
  /** The person's own behaviour the placement was made from; null where they have nothing behind it yet. */
  behaviour: ObservedBehaviour['features'] & { contacts: number; overdueEpisodes: number };
  /** Answered contacts of the segment's members by local hour of the week (0 = Monday 00:00). */
  answeredByHour: number[];
  answered: number;
}

interface Fit {
  model: SegmentModel;
  /** The portfolio's typical value of each feature, standing in for what a debtor has no data for. */
  typical: BehaviourFeatures;
  answeredByHour: number[][];
  fittedOn: number;
}

export interface BehaviourSegments {
  /** Null while the portfolio is too small to segment, or when the person has no contacts or overdue bills in the window. */
  forCustomer(customerId: string): Promise<CustomerSegment | null>;
}

function typicalValues(rows: readonly ObservedBehaviour[]): BehaviourFeatures {
  const typical = {} as BehaviourFeatures;
  for (const name of FEATURE_NAMES) {
    const known = rows.map((r) => r.features[name]).filter((v): v is number => v !== null);
    typical[name] = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : name === 'medianHoursToPay' ? SLOWEST_HOURS_TO_PAY : 0;
  }
  return typical;
}

function filled(features: ObservedBehaviour['features'], typical: BehaviourFeatures): BehaviourFeatures {
  const out = {} as BehaviourFeatures;
  for (const name of FEATURE_NAMES) out[name] = features[name] ?? typical[name];
  return out;
}

async function fit(db: Db, now: Date): Promise<Fit | null> {
  const since = new Date(now.getTime() - SEGMENT_LOOKBACK_DAYS * 86_400_000);
  const rows = await loadBehaviour(db, since, now, { limit: SAMPLE_SIZE });
  if (rows.length < MIN_CUSTOMERS_TO_SEGMENT) return null;
  const typical = typicalValues(rows);
  const model = fitSegments(createRandom(FIT_SEED), rows.map((r) => filled(r.features, typical)));
  const answered = await answeredByHourOfWeek(db, since, now, rows.map((r) => r.customerId));
  const answeredByHour = model.segments.map(() => new Array<number>(HOURS_PER_WEEK).fill(0));
  for (const row of rows) {
    const counts = answered.get(row.customerId);
    if (!counts) continue;
    const own = answeredByHour[assignSegment(model, filled(row.features, typical)).id]!;
    for (let h = 0; h < HOURS_PER_WEEK; h++) own[h]! += counts[h]!;
  }
  return { model, typical, answeredByHour, fittedOn: rows.length };
}

export function createBehaviourSegments(db: Db, clock: Clock): BehaviourSegments {
  // One fit in flight at a time: concurrent customer views share it instead of each scanning the portfolio.
  let current: Promise<Fit | null> | undefined;
  let fittedAt: number | undefined;
  const fitFor = (now: Date): Promise<Fit | null> => {
    const t = now.getTime();
    if (!current || fittedAt === undefined || t - fittedAt > FIT_TTL_MS || t < fittedAt) {
      fittedAt = t;
      const attempt = fit(db, now);
      current = attempt;
      // A failed fit is not cached: the next view tries again (unless a newer fit already replaced it).
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
  return {
    async forCustomer(customerId) {
      const now = clock.now();
      const model = await fitFor(now);
      if (!model) return null;
      const [person] = await loadBehaviour(db, new Date(now.getTime() - SEGMENT_LOOKBACK_DAYS * 86_400_000), now, { customerId });
      if (!person) return null;
      const segment = assignSegment(model.model, filled(person.features, model.typical));
      const answeredByHour = model.answeredByHour[segment.id]!;
      return {
        name: segment.name,
        members: segment.size,
        fittedOn: model.fittedOn,
        lookbackDays: SEGMENT_LOOKBACK_DAYS,
        behaviour: { ...person.features, contacts: person.contacts, overdueEpisodes: person.overdueEpisodes },
        answeredByHour,
        answered: answeredByHour.reduce((a, b) => a + b, 0),
      };
    },
  };
}
