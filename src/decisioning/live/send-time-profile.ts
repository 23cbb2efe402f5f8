import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { bestSendHour, HOURS_PER_WEEK, segmentDistribution, type SendTime, shrinkToSegment } from '../policy/index.js';

/**
 * The best hour of the week to reach one person, from when they answered before: contacts they
 * opened, clicked or replied to in the last LOOKBACK_DAYS, by hour of the week in their own time zone,
 * shrunk toward their behaviour segment's pattern (policy/send-time.ts) so that two replies cannot
 * outvote thousands; the segment's pattern is itself shrunk toward the whole portfolio's, so a small
 * segment cannot either. Only hours inside the contact window both policy packs share are candidates.
 */
const LOOKBACK_DAYS = 180;
// After 08:00 and before 21:00 local time: the US (FDCPA 1692c(a)(1)) and China windows (COMPLIANCE.md).
const CONTACT_HOURS = { from: 8, to: 21 } as const;
const ALLOWED_HOURS = Array.from({ length: HOURS_PER_WEEK }, (_, h) => h).filter((h) => h % 24 >= CONTACT_HOURS.from && h % 24 < CONTACT_HOURS.to);
// The portfolio's pattern moves slowly and costs a scan of every answered contact: one per hour will do.
const PORTFOLIO_TTL_MS = 3_600_000;

export interface SendTimeView extends SendTime {
  /** Answered contacts across the portfolio behind the prior. */
  portfolioResponses: number;
  /** The segment whose pattern the person's own answers were shrunk toward, and its answered contacts; null: the portfolio's. */
  segment: { name: string; responses: number } | null;
  lookbackDays: number;
}

/** The segment a person is in, as a prior: when its members answer (behaviour-segments.ts). */
export interface SegmentPrior {
  name: string;
  answeredByHour: readonly number[];
}

// isodow is 1 (Monday) to 7, in the debtor's zone; a debtor with no zone is counted in UTC.
const HOUR_OF_WEEK = sql<number>`((extract(isodow from a.sent_at at time zone coalesce(c.timezone, 'UTC'))::int - 1) * 24
  + extract(hour from a.sent_at at time zone coalesce(c.timezone, 'UTC'))::int)`;
const ANSWERED = sql`a.status in ('read', 'clicked', 'replied')`;

/** The whole portfolio's answered contacts by local hour of the week. */
async function portfolioByHourOfWeek(db: Db, since: Date, until: Date): Promise<number[]> {
  const rows = await sql<{ how: number; n: number }>`
    select ${HOUR_OF_WEEK} as how, count(*)::int as n
    from contact_attempts a join customers c on c.id = a.customer_id
    where ${ANSWERED} and a.sent_at >= ${since}::timestamptz and a.sent_at < ${until}::timestamptz
    group by 1`.execute(db);
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const row of rows.rows) counts[row.how] = row.n;
  return counts;
}

/** Answered contacts by local hour of the week for each of `customerIds` who answered any (behaviour-segments.ts sums them per segment). */
export async function answeredByHourOfWeek(db: Db, since: Date, until: Date, customerIds: readonly string[]): Promise<Map<string, number[]>> {
  const byCustomer = new Map<string, number[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await sql<{ customer_id: string; how: number; n: number }>`
    select a.customer_id, ${HOUR_OF_WEEK} as how, count(*)::int as n
    from contact_attempts a join customers c on c.id = a.customer_id
    where ${ANSWERED} and a.sent_at >= ${since}::timestamptz and a.sent_at < ${until}::timestamptz
      and a.customer_id = any(${customerIds}::uuid[])
    group by 1, 2`.execute(db);
  for (const row of rows.rows) {
    let counts = byCustomer.get(row.customer_id);
    if (!counts) byCustomer.set(row.customer_id, (counts = new Array<number>(HOURS_PER_WEEK).fill(0)));
    counts[row.how] = row.n;
  }
  return byCustomer;
}

export interface SendTimeProfiles {
  /** Null while nobody in the portfolio has answered a contact: there is nothing to go on yet. */
  forCustomer(customerId: string, segment?: SegmentPrior | null): Promise<SendTimeView | null>;
}

export function createSendTimeProfiles(db: Db, clock: Clock): SendTimeProfiles {
  let portfolio: { counts: number[]; shares: number[]; at: number } | undefined;
  return {
    async forCustomer(customerId, segment) {
      const now = clock.now();
      const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
      if (!portfolio || now.getTime() - portfolio.at > PORTFOLIO_TTL_MS || now.getTime() < portfolio.at) {
        const counts = await portfolioByHourOfWeek(db, since, now);
        portfolio = { counts, shares: segmentDistribution([counts]), at: now.getTime() };
      }
      const portfolioResponses = portfolio.counts.reduce((a, b) => a + b, 0);
      if (portfolioResponses === 0) return null;
      const person = (await answeredByHourOfWeek(db, since, now, [customerId])).get(customerId) ?? new Array<number>(HOURS_PER_WEEK).fill(0);
      const segmentResponses = segment ? segment.answeredByHour.reduce((a, b) => a + b, 0) : 0;
      const prior = segment && segmentResponses > 0 ? shrinkToSegment(segment.answeredByHour, portfolio.shares) : portfolio.shares;
      return {
        ...bestSendHour(person, prior, { allowedHours: ALLOWED_HOURS }),
        portfolioResponses,
        segment: segment && segmentResponses > 0 ? { name: segment.name, responses: segmentResponses } : null,
        lookbackDays: LOOKBACK_DAYS,
      };
    },
  };
}
