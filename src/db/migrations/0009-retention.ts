import { type Kysely, sql } from 'kysely';

/**
 * Retention: customers whose personal data was purged keep a pseudonymised record, marked with the
 * instant of the purge. Any later change to the customer row (an integrator sends the person again)
 * clears the mark, so new personal data is looked at again when its own time comes.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `alter table customers add column personal_data_purged_at timestamptz`,
  // The retention job walks customers untouched since the cutoff, oldest first; purged ones leave the index.
  `create index customers_retention on customers (updated_at, id) where personal_data_purged_at is null`,
  `
    create function customers_clear_purge_mark() returns trigger language plpgsql as $$
    begin
      if new.personal_data_purged_at is not distinct from old.personal_data_purged_at then
        new.personal_data_purged_at := null;
      end if;
      return new;
    end;
    $$
  `,
  `
    create trigger customers_clear_purge_mark before update on customers
      for each row when (old.personal_data_purged_at is not null) execute function customers_clear_purge_mark()
  `,
  // Audit reads filter by subject (whose data) and action; the chain itself is walked by seq.
  `create index audit_log_subject on audit_log (subject, seq)`,
  `create index audit_log_action on audit_log (action, seq)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists audit_log_action`.execute(db);
  await sql`drop index if exists audit_log_subject`.execute(db);
  await sql`drop trigger if exists customers_clear_purge_mark on customers`.execute(db);
  await sql`drop function if exists customers_clear_purge_mark`.execute(db);
  await sql`drop index if exists customers_retention`.execute(db);
  await sql`alter table customers drop column personal_data_purged_at`.execute(db);
}
