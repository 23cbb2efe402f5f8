import { type Kysely, sql } from 'kysely';

/**
 * The template variant (tone, length) a learning decision sent, next to its channel arm, so the
 * planner learns which wording pays per stage and channel as well as which channel does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decision_outcomes add column variant text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table decision_outcomes drop column variant`.execute(db);
}
