import { type Kysely, sql } from 'kysely';

/**
 * The dashboard's daily rollup of contact outcomes (src/analytics/kpi-rollup.ts): counts per UTC day
 * and grouping, and which days are counted (a null counted_at means stale, to be counted again).
 * Days are 'YYYY-MM-DD' text, so no driver turns them into instants in some local zone. The BRIN
 * index lets the live count of a day or two (today, a stale day) read those days' pages only: it costs
 * next to nothing on insert, where attempts arrive roughly in due order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table kpi_daily (
      day text not null,
      group_by text not null,
      grp text not null,
      attempted bigint not null,
      reached bigint not null,
      responded bigint not null,
      converted bigint not null,
      complained bigint not null,
      opted_out bigint not null,
      primary key (day, group_by, grp)
    )`.execute(db);
  await sql`create table kpi_days (day text primary key, counted_at timestamptz)`.execute(db);
  await sql`create index contact_attempts_due_brin on contact_attempts using brin (due_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists contact_attempts_due_brin`.execute(db);
  await sql`drop table kpi_days`.execute(db);
  await sql`drop table kpi_daily`.execute(db);
}
