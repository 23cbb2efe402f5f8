import { type Kysely, sql } from 'kysely';

/**
 * Holds on collection: disputes, promises to pay and the debtor's request to cease communication.
 * The planner reads them for a page of customers at a time, so each lookup has a partial index that
 * holds only the rows it asks for (open ones, conversations), small however long the history grows.
 */
// One statement per entry: prepared statements (and PGlite) take one command at a time.
const STATEMENTS = [
  `
    create table disputes (
      id uuid primary key default gen_random_uuid(),
      external_id text unique,
      customer_id uuid not null references customers (id),
      receivable_id uuid references receivables (id),
      status text not null check (status in ('open', 'resolved')),
      reason text not null,
      resolution text,
      opened_at timestamptz not null,
      resolved_at timestamptz,
      check ((status = 'resolved') = (resolved_at is not null))
    )
  `,
  `create index disputes_open_customer on disputes (customer_id) where status = 'open'`,
  `create index disputes_customer on disputes (customer_id, opened_at)`,
  `
    create table promises_to_pay (
      id uuid primary key default gen_random_uuid(),
      external_id text unique,
      customer_id uuid not null references customers (id),
      receivable_ids uuid[] not null,
      amount_minor bigint not null check (amount_minor > 0),
      currency char(3) not null,
      promised_for timestamptz not null,
      status text not null check (status in ('open', 'kept', 'broken', 'cancelled')),
      source text not null check (source in ('api', 'assistant', 'agent')),
      created_at timestamptz not null,
      resolved_at timestamptz
    )
  `,
  `create index promises_to_pay_open_customer on promises_to_pay (customer_id) where status = 'open'`,
  `create index promises_to_pay_customer on promises_to_pay (customer_id, created_at)`,
  // A 1692c(c) request is a standing instruction about the person, read on every planning pass.
  `alter table customers add column cease_communication boolean not null default false`,
  // interaction_events_customer covers every kind of event; conversations are a sliver of them.
  `create index interaction_events_conversations on interaction_events (customer_id, occurred_at) where kind = 'call.conversation'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists interaction_events_conversations`.execute(db);
  await sql`alter table customers drop column cease_communication`.execute(db);
  await sql`drop table promises_to_pay, disputes`.execute(db);
}
