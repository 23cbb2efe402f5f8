import { sql } from 'kysely';
import { formatMinor } from '../core/money.js';
import type { Db } from '../db/database.js';
import type { CaseStage } from '../db/schema.js';
import type { KpiWindow } from './kpi-window.js';
import { ratio } from './ratio.js';

/** Per currency: sums in different currencies cannot be added together. */
export interface RecoveryKpi {
  currency: string;
  amountOverdue: string;
  amountRecovered: string;
  recoveryRate: string | null;
  /** What was still owed at the window's end by debtors whose case was written off during it. */
  amountWrittenOff: string;
  badDebtRate: string | null;
}

export interface RollRate {
  from: CaseStage;
  to: CaseStage;
  /** Cases in `from` at some instant of the window. */
  cases: number;
  rolled: number;
  rate: string | null;
}

export interface RatioKpi {
  numerator: number;
  denominator: number;
  rate: string | null;
}

const NEXT_STAGE: ReadonlyArray<[CaseStage, CaseStage]> = [['pre_due', 'm1'], ['m1', 'm2'], ['m2', 'm3_plus'], ['m3_plus', 'written_off']];

/**
 * What was overdue during the window (each receivable's balance when it fell due, or at the window's
 * start if it was already late), and what was paid on it from then until the window's end.
 * A cancelled receivable was never owed. An overpayment recovers no more than was owed. Bad debt is
 * what remained unpaid at the window's end on the debts of customers written off during it.
 */
export async function loadRecovery(db: Db, window: KpiWindow): Promise<RecoveryKpi[]> {
  const result = await sql<{ currency: string; overdue: string; recovered: string; written_off: string }>`
    with owed as (
      select r.id, r.customer_id, r.currency, r.amount_minor, greatest(r.due_at, ${window.from}::timestamptz) as since
      from receivables r where r.status <> 'cancelled' and r.due_at < ${window.to}::timestamptz),
    written_off as (
      select distinct c.customer_id from case_transitions t join cases c on c.id = t.case_id
      where t.to_stage = 'written_off' and t.at >= ${window.from}::timestamptz and t.at < ${window.to}::timestamptz),
    paid as (
      select o.id,
        coalesce(sum(p.amount_minor) filter (where p.paid_at < o.since), 0) as before,
        coalesce(sum(p.amount_minor) filter (where p.paid_at >= o.since and p.paid_at < ${window.to}::timestamptz), 0) as during
      from owed o join payments p on p.receivable_id = o.id group by o.id)
    select o.currency,
      sum(o.amount_minor - coalesce(pd.before, 0))::text as overdue,
      sum(least(coalesce(pd.during, 0), o.amount_minor - coalesce(pd.before, 0)))::text as recovered,
      coalesce(sum(greatest(o.amount_minor - coalesce(pd.before, 0) - coalesce(pd.during, 0), 0)) filter (where w.customer_id is not null), 0)::text as written_off
    from owed o left join paid pd on pd.id = o.id left join written_off w on w.customer_id = o.customer_id
    where o.amount_minor > coalesce(pd.before, 0)
    group by o.currency order by o.currency`.execute(db);
  return result.rows.map((row) => {
    const overdue = BigInt(row.overdue);
    const recovered = BigInt(row.recovered);
    const writtenOff = BigInt(row.written_off);
    return {
      currency: row.currency, amountOverdue: formatMinor(overdue, row.currency), amountRecovered: formatMinor(recovered, row.currency), recoveryRate: ratio(recovered, overdue),
      amountWrittenOff: formatMinor(writtenOff, row.currency), badDebtRate: ratio(writtenOff, overdue),
    };
  });
}

/**
 * From the case transitions: of the cases that sat in a stage at some instant of the window, how many
 * moved on to the next stage within it. Each transition into a stage opens a span that the case's
 * next transition closes.
 */
export async function loadRollRates(db: Db, window: KpiWindow): Promise<RollRate[]> {
  const pairs = sql.join(NEXT_STAGE.map(([from, to]) => sql`(${from}::text, ${to}::text)`));
  const result = await sql<{ stage: CaseStage; next: CaseStage; cases: string; rolled: string }>`
    with spans as (
      select t.to_stage as stage, t.at as entered,
        lead(t.at) over w as left_at, lead(t.to_stage) over w as next_stage
      from case_transitions t where t.at < ${window.to}::timestamptz
      window w as (partition by t.case_id order by t.at, t.from_stage nulls first))
    select n.stage, n.next,
      count(s.stage)::text as cases,
      count(s.stage) filter (where s.left_at >= ${window.from}::timestamptz and s.left_at < ${window.to}::timestamptz and s.next_stage = n.next)::text as rolled
    from (values ${pairs}) as n(stage, next)
    left join spans s on s.stage = n.stage and (s.left_at is null or s.left_at >= ${window.from}::timestamptz)
    group by n.stage, n.next`.execute(db);
  const byStage = new Map(result.rows.map((row) => [row.stage, row]));
  return NEXT_STAGE.map(([from, to]) => {
    const row = byStage.get(from);
    const cases = BigInt(row?.cases ?? '0');
    const rolled = BigInt(row?.rolled ?? '0');
    return { from, to, cases: Number(cases), rolled: Number(rolled), rate: ratio(rolled, cases) };
  });
}

/** Of the promises that fell due in the window and were settled either way, the share kept. */
export async function loadPromiseKept(db: Db, window: KpiWindow): Promise<RatioKpi> {
  const row = await db
    .selectFrom('promises_to_pay')
    .select([sql<string>`count(*) filter (where status = 'kept')`.as('kept'), sql<string>`count(*) filter (where status in ('kept', 'broken'))`.as('settled')])
    .where('promised_for', '>=', window.from)
    .where('promised_for', '<', window.to)
    .executeTakeFirstOrThrow();
  return toRatio(BigInt(row.kept), BigInt(row.settled));
}

/** Of the people who wrote to the assistant in the window, the share handed to a human. */
export async function loadHandoffRate(db: Db, window: KpiWindow): Promise<RatioKpi> {
  const row = await db
    .selectFrom('interaction_events')
    .select([
      sql<string>`count(distinct customer_id) filter (where kind = 'handoff.requested')`.as('handed'),
      sql<string>`count(distinct customer_id) filter (where kind = 'message.inbound')`.as('conversing'),
    ])
    .where('kind', 'in', ['handoff.requested', 'message.inbound'])
    .where('occurred_at', '>=', window.from)
    .where('occurred_at', '<', window.to)
    .executeTakeFirstOrThrow();
  return toRatio(BigInt(row.handed), BigInt(row.conversing));
}

function toRatio(numerator: bigint, denominator: bigint): RatioKpi {
  return { numerator: Number(numerator), denominator: Number(denominator), rate: ratio(numerator, denominator) };
}
