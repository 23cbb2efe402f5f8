import { type Kysely, sql } from 'kysely';

/**
 * The contact-attempt table is the delivery work queue: rows with a due time, claimed by any number
 * of workers with FOR UPDATE SKIP LOCKED and a lease, each under a unique idempotency key.
 */
const STATEMENTS = [
  `
    create table contact_attempts (
      id uuid primary key default gen_random_uuid(),
      idempotency_key text not null unique,
      customer_id uuid not null references customers (id),
      receivable_ids uuid[] not null default '{}',
      channel text not null check (channel in ('sms', 'email', 'voice', 'push', 'wechat', 'app')),
      provider text,
      template_id text,
      content jsonb not null default '{}',
      status text not null check (status in ('scheduled', 'sending', 'sent', 'delivered', 'read', 'clicked', 'replied', 'failed', 'cancelled', 'blocked')),
      due_at timestamptz not null,
      attempt_count integer not null default 0,
      max_attempts integer not null default 5 check (max_attempts > 0),
      lease_owner text,
      lease_expires_at timestamptz,
      provider_message_id text,
      last_error text,
      decision jsonb not null default '{}',
      created_at timestamptz not null,
      updated_at timestamptz not null,
      sent_at timestamptz
    )
  `,
  `create index contact_attempts_due on contact_attempts (due_at) where status = 'scheduled'`,
  `create index contact_attempts_lease on contact_attempts (lease_expires_at) where status = 'sending'`,
  `create index contact_attempts_customer on contact_attempts (customer_id, created_at)`,
  `create index contact_attempts_receivables on contact_attempts using gin (receivable_ids)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table contact_attempts`.execute(db);
}
