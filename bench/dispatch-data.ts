import pg from 'pg';
import { createScratchDatabase as createOn, type ScratchDatabase } from '../src/db/scratch-database.js';
import type { PiiVault } from '../src/compliance/pii-vault.js';

/**
 * The dispatch benchmark's data: a million open cases written with plain `insert … select
 * generate_series`, because going through the API would measure ingest, not planning. Columns match
 * src/db/migrations/0001-foundation.ts; identity ciphertexts come from the real vault (one value per
 * kind, reused), so that delivery can decrypt them.
 */

/** A database of its own for the run, dropped after. */
export function createScratchDatabase(base: string): Promise<ScratchDatabase> {
  return createOn(base, 'recoup_bench_dispatch');
}

// The mix, by customer number g: a fifth in each zone (two US, one CN, one GB, one with no pack),
// a third zh-CN, consents varied and some opted out of SMS, a tenth VIP, and a spread of days past due
// that puts cases in m1, m2 and m3_plus.
const ZONES = `(array['Asia/Shanghai','America/New_York','Europe/London','America/Los_Angeles','Asia/Singapore'])[1 + g % 5]`;
const DAYS_PAST_DUE = `(1 + g % 90)`;

function loadStatements(rows: number, now: Date, cipher: Record<'phone' | 'email' | 'wechat' | 'app', string>): Array<[string, unknown[]]> {
  const nowParam = now.toISOString();
  return [
    [
      `insert into customers (external_id, name, locale, timezone, consents, attributes, created_at, updated_at)
       select 'bench-' || g, 'Customer ' || g, case when g % 3 = 0 then 'zh-CN' else 'en' end, ${ZONES},
              jsonb_build_object('sms', g % 17 <> 0, 'email', true, 'voice', g % 4 <> 0, 'wechat', g % 3 = 0),
              case when g % 10 = 0 then '{"segment":"vip"}'::jsonb else '{}'::jsonb end, $2::timestamptz, $2::timestamptz
       from generate_series(1, $1::int) g`,
      [rows, nowParam],
    ],
    // Everyone has a phone; half an email; the zh-CN third a WeChat openid; a quarter the app.
    [
      `insert into customer_identities (customer_id, kind, lookup_hash, ciphertext, masked, updated_at)
       select c.id, x.kind, x.kind || ':' || c.external_id, x.cipher, x.masked, $1::timestamptz
       from customers c
       cross join lateral (values ('phone', $2, '+1******0123', true),
                                  ('email', $3, 'd***@example.com', substr(c.external_id, 7)::int % 2 = 0),
                                  ('wechat_open_id', $4, 'o***', c.locale = 'zh-CN'),
                                  ('app_user_id', $5, 'u***', substr(c.external_id, 7)::int % 4 = 0)) as x(kind, cipher, masked, present)
       where x.present`,
      [nowParam, cipher.phone, cipher.email, cipher.wechat, cipher.app],
    ],
    [
      `insert into receivables (external_id, customer_id, kind, currency, amount_minor, due_at, status, created_at, updated_at)
       select 'bench-r-' || g, c.id, 'bill', case when c.locale = 'zh-CN' then 'CNY' else 'USD' end, 1000 + (g % 500) * 100,
              $1::timestamptz - make_interval(days => ${DAYS_PAST_DUE}), 'open', $1::timestamptz, $1::timestamptz
       from customers c, lateral (select substr(c.external_id, 7)::int as g) n`,
      [nowParam],
    ],
    [
      `insert into cases (customer_id, stage, status, max_days_past_due, opened_at, stage_changed_at)
       select c.id, case when ${DAYS_PAST_DUE} >= 61 then 'm3_plus' when ${DAYS_PAST_DUE} >= 31 then 'm2' else 'm1' end, 'open',
              ${DAYS_PAST_DUE}, $1::timestamptz, $1::timestamptz
       from customers c, lateral (select substr(c.external_id, 7)::int as g) n`,
      [nowParam],
    ],
    // A portfolio that has sat a while, not one just bulk-written: vacuumed (visibility map and hint
    // bits set, which the first reads would otherwise write back) and checkpointed, so that the
    // planning measured next does not also pay for flushing the load's gigabytes of dirty pages.
    ['vacuum analyze', []],
    ['checkpoint', []],
  ];
}

/** Writes `rows` customers, each with identities, one overdue bill and its open case. */
export async function loadOpenCases(url: string, rows: number, now: Date, vault: PiiVault, log: (line: string) => void): Promise<number> {
  const cipher = { phone: vault.encrypt('+14155550123'), email: vault.encrypt('debtor@example.com'), wechat: vault.encrypt('oBench0123456789'), app: vault.encrypt('app-user-1') };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    for (const [statement, params] of loadStatements(rows, now, cipher)) {
      const step = performance.now();
      const result = await client.query(statement, params);
      log(`dispatch: load ${statement.trim().split(/\s+/).slice(0, 3).join(' ')}: ${result.rowCount ?? 0} rows in ${((performance.now() - step) / 1000).toFixed(1)} s`);
    }
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}

/** Planned reminders due now for the first `count` customers, on SMS (everyone has a phone), as the planner stores them: drafts. */
export async function loadDueAttempts(url: string, count: number, now: Date): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The planner's attempts were its output; the send run starts from a queue of exactly `count`.
    await client.query('truncate contact_attempts, decision_outcomes');
    await client.query(
      `insert into contact_attempts (idempotency_key, customer_id, receivable_ids, channel, content, status, due_at, created_at, updated_at)
       select 'send-bench-' || c.external_id, c.id, array[r.id], 'sms',
              jsonb_build_object('locale', c.locale, 'draft', jsonb_build_object(
                'channel', 'sms', 'stage', k.stage, 'templateId', 'reminder-sms', 'variant', null, 'locale', c.locale, 'timezone', c.timezone,
                'name', c.name, 'now', $1::timestamptz, 'items', jsonb_build_array(jsonb_build_object('amountMinor', r.amount_minor::text, 'currency', r.currency, 'dueAt', r.due_at)))),
              'scheduled', $1::timestamptz, $1::timestamptz, $1::timestamptz
       from customers c join receivables r on r.customer_id = c.id join cases k on k.customer_id = c.id
       order by c.external_id limit $2`,
      [now.toISOString(), count],
    );
    await client.query('analyze contact_attempts');
  } finally {
    await client.end();
  }
}
