import { type RawBuilder, sql } from 'kysely';
import type { StageConfig } from '../config.js';
import { fromEpochMs, plainArrayLiteral } from '../db/array-literal.js';
import { DAY_MS } from '../core/time.js';
import type { Db } from '../db/database.js';
import type { CaseStage } from '../db/schema.js';

/**
 * A case is the collection state of one customer: open while they owe something that is due within
 * the pre-due window or already late, at the stage of their latest-paid receivable. This keeps
 * `cases` in step with `receivables` in one set-based statement, for some customers (after an
 * ingest) or for all (as time passes).
 */
export interface CaseRefresh {
  opened: number;
  changed: number;
  closed: number;
}

/** Days past due of the instant in column `due`; falls as `due` rises, so the earliest due date gives the maximum. */
function daysPastDueSql(now: Date, due: RawBuilder<Date>): RawBuilder<number> {
  return sql<number>`case when ${now}::timestamptz >= ${due}
    then floor(extract(epoch from (${now}::timestamptz - ${due})) / 86400)::int + 1
    else -ceil(extract(epoch from (${due} - ${now}::timestamptz)) / 86400)::int end`;
}

function stageSql(stages: StageConfig): RawBuilder<CaseStage> {
  return sql<CaseStage>`case
    when any_written_off or dpd >= ${stages.writeOffFromDay} then 'written_off'
    when dpd >= ${stages.m3FromDay} then 'm3_plus'
    when dpd >= ${stages.m2FromDay} then 'm2'
    when dpd >= 1 then 'm1'
    else 'pre_due' end`;
}

export async function refreshCases(trx: Db, now: Date, stages: StageConfig, customerIds?: Iterable<string>): Promise<CaseRefresh> {
  const ids = customerIds ? [...customerIds] : undefined;
  if (ids && ids.length === 0) return { opened: 0, changed: 0, closed: 0 };
  const scope = ids ? sql`and customer_id = any(${ids}::uuid[])` : sql``;
  const wanted = sql`
    select customer_id, dpd, ${stageSql(stages)} as stage from (
      select customer_id, ${daysPastDueSql(now, sql.ref('first_due'))} as dpd, any_written_off from (
        -- min(due_at), not max(days past due): the per-row numeric arithmetic was most of the cost.
        select customer_id, min(due_at) as first_due, bool_or(status = 'written_off') as any_written_off
        from receivables
        where status in ('open', 'written_off') and amount_minor > paid_minor
          and due_at <= ${windowEnd(now, stages)} ${scope}
        group by customer_id
      ) firsts
    ) owed`;
  return applyWanted(trx, now, wanted, sql`and customer_id not in (select customer_id from wanted) ${scope}`);
}

/**
 * For customers who only gained receivables: a new debt can open a case or move it to a later stage,
 * never close it or move it back, so the new case state is the later of the open case's and the one
 * the arrivals alone give. That needs no rescan of what the customer owed before, which made a full
 * refresh the costliest step of a large ingest. Time moving on is the stage-change job's business.
 * Perf: the open case is looked up once, with the arrivals, and updated by its id; through
 * applyWanted it was looked up three times per customer (bench/ingest).
 */
export async function raiseCases(trx: Db, now: Date, stages: StageConfig, arrivals: Map<string, { firstDue: Date; anyWrittenOff: boolean }>): Promise<CaseRefresh> {
  // Arrivals due after the pre-due window cannot open or move a case yet: they stay behind here
  // rather than travel to the server to be filtered there. The same instant as windowEnd's.
  const windowEndMs = now.getTime() + stages.preDueDays * DAY_MS;
  const ids: string[] = [];
  const dueMs: number[] = [];
  const writtenOff: boolean[] = [];
  for (const [id, arrival] of arrivals) {
    const due = arrival.firstDue.getTime();
    if (due > windowEndMs) continue;
    ids.push(id);
    dueMs.push(due);
    writtenOff.push(arrival.anyWrittenOff);
  }
  if (ids.length === 0) return { opened: 0, changed: 0, closed: 0 };
  const idList = plainArrayLiteral(ids);
  const result = await sql<CaseRefresh>`
    with wanted as materialized (
      select customer_id, case_id, old_stage, old_dpd, dpd, ${stageSql(stages)} as stage from (
        select a.customer_id, c.id as case_id, c.stage as old_stage, c.max_days_past_due as old_dpd,
               greatest(a.dpd, c.max_days_past_due) as dpd, a.any_written_off or coalesce(c.stage = 'written_off', false) as any_written_off
        from (
          select customer_id, ${daysPastDueSql(now, sql.ref('first_due'))} as dpd, any_written_off
          from (
            -- Customer ids from the database and numbers: nothing in them needs quoting.
            select customer_id, ${fromEpochMs('due_ms')} as first_due, any_written_off
            from unnest(${idList}::uuid[], ${plainArrayLiteral(dueMs)}::bigint[], ${plainArrayLiteral(writtenOff)}::boolean[])
              as x(customer_id, due_ms, any_written_off)
          ) x
        ) a
        -- The any() repeats the join so that only these customers' cases are read and hashed, not
        -- every open case (45,000 per batch in bench/ingest, the whole book in real life).
        left join cases c on c.customer_id = a.customer_id and c.status = 'open' and c.customer_id = any(${idList}::uuid[])
      ) owed),
    changed as (
      update cases c set
        stage = w.stage, max_days_past_due = w.dpd,
        stage_changed_at = case when w.stage <> w.old_stage then ${now}::timestamptz else c.stage_changed_at end
      from wanted w
      -- The max_days_past_due condition holds unless another batch raised the case meanwhile: never
      -- move it back. The any() repeats the join so that the cases to change are fetched by id; on
      -- the join alone PostgreSQL hashed the whole cases table for every batch.
      where c.id = w.case_id and (w.stage <> w.old_stage or w.old_dpd <> w.dpd) and c.max_days_past_due <= w.dpd
        and c.id = any(array(select case_id from wanted where case_id is not null and (stage <> old_stage or old_dpd <> dpd)))
      returning c.id, w.old_stage as from_stage, c.stage as to_stage),
    ${openAndLog(now, sql`w.case_id is null`, false)}`.execute(trx);
  return result.rows[0] ?? { opened: 0, changed: 0, closed: 0 };
}

/**
 * The common tail of the case statements, after their `wanted` and `changed` (and `closed`, when
 * `withClosed`) parts: opens a case for each wanted customer matching `noOpenCase`, logs every stage
 * move in case_transitions, and selects the counts.
 */
function openAndLog(now: Date, noOpenCase: RawBuilder<boolean>, withClosed: boolean): RawBuilder<unknown> {
  return sql`opened as (
      insert into cases (customer_id, stage, status, max_days_past_due, opened_at, stage_changed_at)
      select w.customer_id, w.stage, 'open', w.dpd, ${now}::timestamptz, ${now}::timestamptz
      from wanted w where ${noOpenCase}
      -- Two batches may open the same customer's case at once; the second leaves it to the first.
      on conflict (customer_id) where status = 'open' do nothing
      returning id, stage as to_stage),
    moves as (
      select id, from_stage, to_stage from changed where from_stage <> to_stage
      union all select id, null, to_stage from opened
      ${withClosed ? sql`union all select id, from_stage, null from closed` : sql``}),
    logged as (
      insert into case_transitions (case_id, from_stage, to_stage, at)
      select id, from_stage, to_stage, ${now}::timestamptz from moves)
    select (select count(*) from opened)::int as opened,
           (select count(*) from changed where from_stage <> to_stage)::int as changed,
           ${withClosed ? sql`(select count(*) from closed)::int` : sql`0`} as closed`;
}

function windowEnd(now: Date, stages: StageConfig): RawBuilder<Date> {
  return sql<Date>`${now}::timestamptz + make_interval(hours => ${24 * stages.preDueDays})`;
}

/**
 * Brings cases in line with `wanted` (customer_id, dpd, stage) in one statement, so that `wanted` (a
 * scan over receivables, the costly part) is computed once rather than once per step. The steps
 * touch disjoint cases: open ones still owed, customers with no open case, and open ones no longer
 * owed (`closeWhere`); all see the cases as they were before.
 */
async function applyWanted(trx: Db, now: Date, wanted: RawBuilder<unknown>, closeWhere: RawBuilder<unknown>): Promise<CaseRefresh> {
  const closing = sql`update cases set status = 'closed', closed_at = ${now}::timestamptz where status = 'open' ${closeWhere} returning id, stage as from_stage`;
  const result = await sql<CaseRefresh>`
    with wanted as materialized (${wanted}),
    changed as (
      update cases c set
        stage = w.stage, max_days_past_due = w.dpd,
        stage_changed_at = case when w.stage <> w.old_stage then ${now}::timestamptz else c.stage_changed_at end
      from (select c2.id, c2.stage as old_stage, wanted.* from cases c2 join wanted using (customer_id) where c2.status = 'open') w
      where c.id = w.id and (w.stage <> w.old_stage or c.max_days_past_due <> w.dpd)
      returning c.id, w.old_stage as from_stage, c.stage as to_stage),
    closed as (${closing}),
    ${openAndLog(now, sql`not exists (select 1 from cases c where c.customer_id = w.customer_id and c.status = 'open')`, true)}`.execute(trx);
  return result.rows[0] ?? { opened: 0, changed: 0, closed: 0 };
}

/**
 * The next instant after `now` at which some case would open or change stage with no new input:
 * the virtual clock jumps straight there instead of polling.
 */
export async function nextStageChangeAt(db: Db, now: Date, stages: StageConfig): Promise<Date | null> {
  // Hours, not days: a "day" interval would follow the session time zone across daylight-saving changes.
  const day = (n: number) => sql`make_interval(hours => ${24 * n})`;
  const row = await sql<{ at: Date | null }>`
    select min(t) as at from (
      select unnest(array[
        due_at - ${day(stages.preDueDays)}, due_at, due_at + ${day(stages.m2FromDay - 1)},
        due_at + ${day(stages.m3FromDay - 1)}, due_at + ${day(stages.writeOffFromDay - 1)}
      ]) as t
      from receivables where status = 'open' and amount_minor > paid_minor
    ) crossings
    where t > ${now}::timestamptz`.execute(db);
  return row.rows[0]?.at ?? null;
}
