import { sql } from 'kysely';
import { periodicWork } from '../core/periodic-work.js';
import { DAY_MS } from '../core/time.js';
import type { DueWork } from '../core/work-loop.js';
import type { Db } from '../db/database.js';
import { addCounts, countOutcomes, OUTCOME_DAYS, type OutcomeCounts, type OutcomeRow, ZERO_COUNTS } from './contact-outcomes.js';
import type { GroupBy, KpiWindow } from './kpi-window.js';

/**
 * The dashboard's contact outcomes, kept per UTC day so that a month of a million attempts is read
 * from a few hundred rows instead of being recounted on every request. A day's figures keep changing
 * while its outcomes can still arrive (OUTCOME_DAYS) and receipts come in, so the rollup recounts
 * recent days on every run; older days are counted once, and again only when marked stale (a
 * payment or attempt written for the past). A day without a counted rollup is counted live, so the
 * figures are never missing, only at worst as old as the last run (reported as `rolledUpAt`).
 */

/** The groupings stored; `day` is the sum of any one of them per day. */
const STORED: readonly GroupBy[] = ['channel', 'stage', 'segment', 'template', 'decisioning'];
// Recounted on every run: the days whose outcomes may still arrive, and one more for late receipts.
const OPEN_DAYS = OUTCOME_DAYS + 2;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const startOfDay = (day: string) => new Date(`${day}T00:00:00.000Z`);
const nextDay = (day: string) => dayOf(new Date(startOfDay(day).getTime() + DAY_MS));

function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = nextDay(day)) days.push(day);
  return days;
}

/** Marks the days of [from, to] to be recounted by the next run (a late payment, an attempt written for the past). */
export async function markKpiDaysStale(db: Db, from: Date, to: Date): Promise<void> {
  const days = daysBetween(dayOf(from), dayOf(to));
  await sql`
    insert into kpi_days (day, counted_at) select d, null from unnest(${days}::text[]) d
    on conflict (day) do update set counted_at = null`.execute(db);
}

/** The first of the open days: those every run recounts. */
const openSince = (now: Date) => new Date(startOfDay(dayOf(now)).getTime() - OPEN_DAYS * DAY_MS);

/**
 * A payment turns contacts of the OUTCOME_DAYS before it into conversions; those of its days that
 * are older than the open days were counted for good, so they are marked to be counted again.
 */
export async function markLatePayments(db: Db, now: Date, paidAts: readonly Date[]): Promise<void> {
  const open = openSince(now).getTime();
  const reach = paidAts.map((d) => d.getTime()).filter((t) => t - OUTCOME_DAYS * DAY_MS < open);
  if (reach.length === 0) return;
  await markKpiDaysStale(db, new Date(Math.min(...reach) - OUTCOME_DAYS * DAY_MS), new Date(Math.min(Math.max(...reach), open - 1)));
}

/** Which whole days before `today` need counting: stale ones, never-counted ones with attempts, and the open ones. */
async function daysToCount(db: Db, today: string, discover: boolean): Promise<string[]> {
  const open = daysBetween(dayOf(openSince(startOfDay(today))), dayOf(new Date(startOfDay(today).getTime() - DAY_MS)));
  const stale = await sql<{ day: string }>`select day from kpi_days where counted_at is null and day < ${today}`.execute(db);
  const days = new Set([...open, ...stale.rows.map((r) => r.day)]);
  if (discover) {
    // Once per process: days with attempts that were never counted (history from before the rollup
    // existed, or rows written around the API). One scan, so it is not done on every run.
    const first = await sql<{ day: string | null }>`
      select to_char(min(due_at) at time zone 'UTC', 'YYYY-MM-DD') as day from contact_attempts`.execute(db);
    const since = first.rows[0]?.day;
    if (since && since < today) {
      const counted = await sql<{ day: string }>`select day from kpi_days where counted_at is not null and day >= ${since}`.execute(db);
      const done = new Set(counted.rows.map((r) => r.day));
      for (const day of daysBetween(since, dayOf(new Date(startOfDay(today).getTime() - DAY_MS)))) if (!done.has(day)) days.add(day);
    }
  }
  return [...days].sort();
}

// The open days in one query: the hourly run is then one count, whatever the history's length.
const DAYS_PER_COUNT = OPEN_DAYS + 1;

/** Counts `days` (whole UTC days) and replaces their rollup rows, DAYS_PER_COUNT days per query. */
async function countDays(db: Db, now: Date, days: readonly string[]): Promise<void> {
  for (const batch of contiguousBatches(days, DAYS_PER_COUNT)) {
    const rows = await countOutcomes(db, startOfDay(batch[0]!), startOfDay(nextDay(batch.at(-1)!)), STORED, true);
    const wanted = new Set(batch);
    const kept = rows.filter((r) => wanted.has(r.day!));
    await db.transaction().execute(async (trx) => {
      await sql`delete from kpi_daily where day = any(${batch}::text[])`.execute(trx);
      if (kept.length > 0) {
        await sql`
          insert into kpi_daily (day, group_by, grp, attempted, reached, responded, converted, complained, opted_out)
          select * from jsonb_to_recordset(${JSON.stringify(kept.map(toStored))}::jsonb)
            as r(day text, group_by text, grp text, attempted bigint, reached bigint, responded bigint, converted bigint, complained bigint, opted_out bigint)`.execute(trx);
      }
      await sql`
        insert into kpi_days (day, counted_at) select d, ${now}::timestamptz from unnest(${batch}::text[]) d
        on conflict (day) do update set counted_at = excluded.counted_at`.execute(trx);
    });
  }
}

/** Sorted days cut into runs of consecutive days, at most `size` long: each is one count over its range. */
function contiguousBatches(days: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (const day of days) {
    const last = batches.at(-1);
    if (last && last.length < size && nextDay(last.at(-1)!) === day) last.push(day);
    else batches.push([day]);
  }
  return batches;
}

function toStored(r: OutcomeRow) {
  return {
    day: r.day, group_by: r.groupBy, grp: r.key,
    attempted: r.attempted.toString(), reached: r.reached.toString(), responded: r.responded.toString(),
    converted: r.converted.toString(), complained: r.complained.toString(), opted_out: r.optedOut.toString(),
  };
}

/** One run of the rollup: recounts what may have changed. Returns the days counted. */
export async function refreshKpiRollup(db: Db, now: Date, options: { discover?: boolean } = {}): Promise<number> {
  const days = await daysToCount(db, dayOf(now), options.discover ?? false);
  await countDays(db, now, days);
  return days.length;
}

/** The rollup as due work: every `intervalMs` of clock time, discovering uncounted history on its first run. */
export function createKpiRollupWork(db: Db, intervalMs = 3_600_000): DueWork {
  let discovered = false;
  return periodicWork('kpi-rollup', intervalMs, async (now) => {
    await refreshKpiRollup(db, now, { discover: !discovered });
    discovered = true;
  });
}

export interface GroupedCounts {
  key: string;
  counts: OutcomeCounts;
}

/**
 * The window's outcomes by `groupBy`: counted days from the rollup, everything else (partial days
 * at the edges, today, days not yet counted or marked stale) counted live, and the two added up.
 */
export async function loadOutcomeGroups(db: Db, window: KpiWindow): Promise<{ groups: GroupedCounts[]; rolledUpAt: Date | null }> {
  const firstWhole = dayOf(new Date(Math.ceil(window.from.getTime() / DAY_MS) * DAY_MS));
  const endWhole = dayOf(new Date(Math.floor(window.to.getTime() / DAY_MS) * DAY_MS));
  const counted = firstWhole < endWhole
    ? (await sql<{ day: string; counted_at: Date }>`
        select day, counted_at from kpi_days where day >= ${firstWhole} and day < ${endWhole} and counted_at is not null`.execute(db)).rows
    : [];
  const rolled = new Set(counted.map((r) => r.day));
  const totals = new Map<string, OutcomeCounts>();
  const add = (key: string, counts: OutcomeCounts) => totals.set(key, addCounts(totals.get(key) ?? ZERO_COUNTS, counts));
  if (rolled.size > 0) {
    const stored = window.groupBy === 'day' ? 'channel' : window.groupBy;
    const rows = await sql<{ grp: string; attempted: string; reached: string; responded: string; converted: string; complained: string; opted_out: string }>`
      select ${window.groupBy === 'day' ? sql`day` : sql`grp`} as grp, sum(attempted) as attempted, sum(reached) as reached, sum(responded) as responded,
        sum(converted) as converted, sum(complained) as complained, sum(opted_out) as opted_out
      from kpi_daily where group_by = ${stored} and day = any(${[...rolled]}::text[]) group by 1`.execute(db);
    for (const r of rows.rows) {
      add(r.grp, { attempted: BigInt(r.attempted), reached: BigInt(r.reached), responded: BigInt(r.responded), converted: BigInt(r.converted), complained: BigInt(r.complained), optedOut: BigInt(r.opted_out) });
    }
  }
  for (const [from, to] of uncoveredRanges(window, rolled)) {
    for (const row of await countOutcomes(db, from, to, [window.groupBy], false)) add(row.key, row);
  }
  const rolledUpAt = counted.length > 0 ? new Date(Math.min(...counted.map((r) => new Date(r.counted_at).getTime()))) : null;
  return { groups: [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, counts]) => ({ key, counts })), rolledUpAt };
}

/** The parts of the window not covered by rolled-up days, as contiguous [from, to) ranges. */
function uncoveredRanges(window: KpiWindow, rolled: ReadonlySet<string>): Array<[Date, Date]> {
  const ranges: Array<[Date, Date]> = [];
  let start: Date | null = null;
  let at = window.from;
  while (at.getTime() < window.to.getTime()) {
    const day = dayOf(at);
    const dayEnd = new Date(Math.min(startOfDay(nextDay(day)).getTime(), window.to.getTime()));
    const whole = at.getTime() === startOfDay(day).getTime() && dayEnd.getTime() === startOfDay(nextDay(day)).getTime();
    if (whole && rolled.has(day)) {
      if (start) ranges.push([start, at]);
      start = null;
    } else {
      start ??= at;
    }
    at = dayEnd;
  }
  if (start) ranges.push([start, window.to]);
  return ranges;
}
