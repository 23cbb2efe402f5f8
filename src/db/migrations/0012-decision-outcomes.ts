import { type Kysely, sql } from 'kysely';

/**
 * What each learning decision led to: one row per decided attempt (a contact sent, or a wait),
 * written once its outcome window has passed. The planner's beliefs are aggregates of this table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table decision_outcomes (
      attempt_id uuid primary key references contact_attempts (id),
      arm text not null,
      reward smallint not null check (reward in (0, 1)),
      decided_at timestamptz not null,
      observed_at timestamptz not null
    )`.execute(db);
  await sql`create index decision_outcomes_arm on decision_outcomes (arm)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table decision_outcomes`.execute(db);
}
