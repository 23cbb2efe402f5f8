import pg from 'pg';

/**
 * The analytics benchmark's data, written with `insert … select generate_series` (the API would
 * measure ingest): customers, their bills and payments, and a million contact attempts over the 30
 * days the dashboard shows by default, with replies, complaints, opt-outs, case moves and promises.
 */
export interface AnalyticsDataShape {
  attempts: number;
  customers: number;
}

export async function loadAnalyticsData(url: string, shape: AnalyticsDataShape, windowEnd: Date): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const start = new Date(windowEnd.getTime() - 30 * 86_400_000).toISOString();
  const n = shape.customers;
  const statements: Array<[string, unknown[]]> = [
    [`insert into customers (external_id, name, locale, timezone, consents, attributes, created_at, updated_at)
      select 'kpi-' || g, null, 'en', 'UTC', '{}'::jsonb,
        jsonb_build_object('segment', (array['retail','vip','sme'])[1 + g % 3]), $2::timestamptz, $2::timestamptz
      from generate_series(1, $1::int) g`, [n, start]],
    // Two bills per customer, due over the 40 days before the window's end, in two currencies.
    [`insert into receivables (external_id, customer_id, kind, currency, amount_minor, due_at, status, created_at, updated_at)
      select c.external_id || '-' || k, c.id, 'bill', case when k = 1 then 'CNY' else 'USD' end, 1000 + (hashtext(c.external_id) & 65535),
        $1::timestamptz - make_interval(hours => (hashtext(c.external_id || k) & 1023) % 960), 'open', $1::timestamptz, $1::timestamptz
      from customers c cross join generate_series(1, 2) k`, [windowEnd.toISOString()]],
    [`insert into payments (external_id, receivable_id, amount_minor, currency, paid_at, created_at)
      select 'pay-' || r.external_id, r.id, r.amount_minor / 2, r.currency, r.due_at + interval '5 days', r.due_at + interval '5 days'
      from receivables r where hashtext(r.external_id) % 3 = 0`, []],
    // Attempts spread evenly over the window, a customer's two bills together; most sent, some failed.
    [`insert into contact_attempts (idempotency_key, customer_id, receivable_ids, channel, provider, template_id, content, status, due_at, decision, created_at, updated_at, sent_at)
      select 'a-' || g, c.id, array[r1.id, r2.id], (array['sms','email','voice','wechat'])[1 + g % 4], 'sandbox', 'tpl-' || (g % 12),
        '{}'::jsonb, (array['sent','delivered','delivered','read','clicked','failed','replied','delivered'])[1 + g % 8],
        t.at, jsonb_build_object('stage', (array['m1','m2','m3_plus'])[1 + g % 3]), t.at, t.at, t.at
      from generate_series(1, $1::int) g
      cross join lateral (select $2::timestamptz + make_interval(secs => (g::float8 / $1) * 30 * 86400) as at) t
      join customers c on c.external_id = 'kpi-' || (1 + g % $3)
      join receivables r1 on r1.external_id = c.external_id || '-1'
      join receivables r2 on r2.external_id = c.external_id || '-2'`, [shape.attempts, start, n]],
    [`insert into interaction_events (customer_id, kind, channel, occurred_at, payload, created_at)
      select c.id, case when g % 10 = 0 then 'handoff.requested' else 'message.inbound' end, 'sms',
        $2::timestamptz + make_interval(hours => g % 720), case when g % 20 = 0 then '{"reason":"complaint"}'::jsonb else '{}'::jsonb end, $2::timestamptz
      from generate_series(1, $1::int) g join customers c on c.external_id = 'kpi-' || (1 + g % $3)`, [Math.round(n / 2), start, n]],
    [`insert into consent_ledger (customer_id, channel, granted, source, recorded_at)
      select c.id, 'sms', false, 'bench', $1::timestamptz + make_interval(hours => g % 720)
      from generate_series(1, $2::int) g join customers c on c.external_id = 'kpi-' || (1 + g * 7 % $3)`, [start, Math.round(n / 50), n]],
    [`insert into cases (customer_id, stage, status, max_days_past_due, opened_at, stage_changed_at)
      select c.id, 'm1', 'open', 10, $1::timestamptz, $1::timestamptz from customers c`, [start]],
    [`insert into case_transitions (case_id, from_stage, to_stage, at)
      select id, s.from_stage, s.to_stage, $1::timestamptz + make_interval(days => s.day + (hashtext(id::text) & 7))
      from cases cross join (values (null, 'm1', 0), ('m1', 'm2', 10), ('m2', 'm3_plus', 20)) as s(from_stage, to_stage, day)
      where s.day = 0 or hashtext(id::text) % (s.day / 10 + 1) = 0`, [start]],
    [`insert into promises_to_pay (customer_id, receivable_ids, amount_minor, currency, promised_for, status, source, created_at)
      select c.id, '{}', 1000, 'CNY', $1::timestamptz + make_interval(hours => hashtext(c.external_id) & 511),
        (array['kept','broken','open'])[1 + (hashtext(c.external_id) & 3) % 3], 'api', $1::timestamptz
      from customers c where hashtext(c.external_id) % 5 = 0`, [start]],
    ['analyze', []],
  ];
  try {
    for (const [text, values] of statements) await client.query(text, values);
  } finally {
    await client.end();
  }
}
