import { type Kysely, sql } from 'kysely';

/**
 * Every fitted decisioning model, kept with the metrics it earned on its held-out split, so that a
 * decision scored by `response@3` can be traced to the exact trees that scored it, and a challenger
 * is only put in force when it beats the champion.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `
    create table model_versions (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('response', 'risk')),
      version integer not null check (version >= 1),
      created_at timestamptz not null,
      trained_from timestamptz,
      trained_to timestamptz,
      rows integer not null check (rows >= 0),
      metrics jsonb not null,
      model jsonb not null,
      role text not null check (role in ('champion', 'challenger', 'retired')),
      promoted_at timestamptz,
      unique (kind, version)
    )
  `,
  // At most one model of a kind is in force; a promotion that forgot to retire the old one fails.
  `create unique index model_versions_one_champion on model_versions (kind) where role = 'champion'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists model_versions`.execute(db);
}
