import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/database.js';
import { bestSendHour, HOURS_PER_WEEK, segmentDistribution, type SendTime } from '../policy/index.js';

/**
 * The best hour of the week to reach one person, from when they answered before: contacts they
 * opened, clicked or replied to in the last LOOKBACK_DAYS, by hour of the week in their own time zone,
 * shrunk toward the whole portfolio's pattern (policy/send-time.ts) so that two replies cannot outvote
 * thousands. Only hours inside the contact window both policy packs share are candidates.
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
  lookbackDays: number;
}

async function countByHourOfWeek(db: Db, since: Date, until: Date, customerId?: string): Promise<number[]> {
  // isodow is 1 (Monday) to 7, in the debtor's zone; a debtor with no zone is counted in UTC.
  const rows = await sql<{ how: number; n: number }>`
    select ((extract(isodow from a.sent_at at time zone coalesce(c.timezone, 'UTC'))::int - 1) * 24
            + extract(hour from a.sent_at at time zone coalesce(c.timezone, 'UTC'))::int) as how,
           count(*)::int as n
    from contact_attempts a join customers c on c.id = a.customer_id
    where a.status in ('read', 'clicked', 'replied') and a.sent_at >= ${since}::timestamptz and a.sent_at < ${until}::timestamptz
      ${customerId === undefined ? sql`` : sql`and a.customer_id = ${customerId}::uuid`}
    group by 1`.execute(db);
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const row of rows.rows) counts[row.how] = row.n;
  return counts;
}

export interface SendTimeProfiles {
  /** Null while nobody in the portfolio has answered a contact: there is nothing to go on yet. */
  forCustomer(customerId: string): Promise<SendTimeView | null>;
}

export function createSendTimeProfiles(db: Db, clock: Clock): SendTimeProfiles {
  let portfolio: { counts: number[]; shares: number[]; at: number } | undefined;
  return {
    async forCustomer(customerId) {
      const now = clock.now();
      const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
      if (!portfolio || now.getTime() - portfolio.at > PORTFOLIO_TTL_MS || now.getTime() < portfolio.at) {
        const counts = await countByHourOfWeek(db, since, now);
        portfolio = { counts, shares: segmentDistribution([counts]), at: now.getTime() };
      }
      const portfolioResponses = portfolio.counts.reduce((a, b) => a + b, 0);
      if (portfolioResponses === 0) return null;
      const person = await countByHourOfWeek(db, since, now, customerId);
      return {
        ...bestSendHour(person, portfolio.shares, { allowedHours: ALLOWED_HOURS }),
        portfolioResponses,
        lookbackDays: LOOKBACK_DAYS,
      };
    },
  };
}
