import { sql } from 'kysely';
import { type DomainError, type Result, conflict, fail, invalid, notFound, ok } from '../core/errors.js';
import { parseAmount } from '../core/money.js';
import { parseInstant } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import { type IndexedItem, type Outcomes, rejected } from '../ingest/outcome.js';
import { cancelAttemptsForReceivables } from '../delivery/attempt-queue.js';
import { PaymentInput } from './receivable-schema.js';
import { anyOf } from '../db/any-of.js';
import { markLatePayments } from '../analytics/kpi-rollup.js';

// Payment systems and servers disagree about the time by a little; by more than this is a mistake.
const FUTURE_TOLERANCE_MS = 5 * 60_000;

interface Target {
  id: string;
  customerId: string;
  currency: string;
}

interface PreparedPayment {
  index: number;
  externalId: string;
  receivableId: string;
  customerId: string;
  currency: string;
  amountMinor: bigint;
  paidAt: Date;
}

function preparePayment(item: IndexedItem, targets: Map<string, Target>, now: Date): Result<PreparedPayment> {
  const shape = schemaErrors(PaymentInput, item.data);
  if (shape.length > 0) return fail(invalid(shape));
  const input = item.data as PaymentInput;
  const target = targets.get(input.receivableExternalId);
  if (!target) return fail(notFound('receivable', 'receivableExternalId', input.receivableExternalId));
  if (input.currency !== undefined && input.currency !== target.currency) {
    return fail(invalid([{ field: 'currency', reason: `the receivable is in ${target.currency}, not ${input.currency}` }]));
  }
  const amount = parseAmount(input.amount, target.currency);
  const paidAt = parseInstant(input.paidAt, 'paidAt');
  const errors = [amount, paidAt].flatMap((r) => (r.ok ? [] : [r.error]));
  if (paidAt.ok && paidAt.instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    errors.push({ field: 'paidAt', reason: `is in the future (now is ${now.toISOString()})` });
  }
  if (!amount.ok || !paidAt.ok || errors.length > 0) return fail(invalid(errors));
  return ok({ index: item.index, externalId: input.externalId, receivableId: target.id, customerId: target.customerId, currency: target.currency, amountMinor: amount.minor, paidAt: paidAt.instant });
}

function replayConflict(externalId: string): DomainError {
  return conflict(`payment ${externalId} was already recorded with a different receivable or amount`, [
    { field: 'externalId', reason: 'already used for a different payment' },
  ]);
}

/**
 * Records payments idempotently by externalId and applies them to their receivables. A replay of the
 * same payment is reported as a duplicate and changes nothing; the same externalId with another
 * amount or receivable is a conflict. Returns the customers whose cases must be refreshed.
 */
export async function applyPayments(trx: Db, now: Date, items: IndexedItem[]): Promise<{ outcomes: Outcomes; customerIds: Set<string> }> {
  const outcomes: Outcomes = new Map();
  const customerIds = new Set<string>();
  const wanted = [...new Set(items.map((i) => (i.data as { receivableExternalId?: unknown } | null)?.receivableExternalId).filter((v): v is string => typeof v === 'string'))];
  const targets = new Map<string, Target>();
  if (wanted.length > 0) {
    const rows = await trx.selectFrom('receivables').select(['id', 'external_id', 'customer_id', 'currency']).where(anyOf('external_id', wanted, 'text')).execute();
    for (const row of rows) targets.set(row.external_id, { id: row.id, customerId: row.customer_id, currency: row.currency });
  }

  const fresh = new Map<string, PreparedPayment>();
  const repeats: PreparedPayment[] = [];
  for (const item of items) {
    const prepared = preparePayment(item, targets, now);
    if (!prepared.ok) outcomes.set(item.index, rejected(prepared.error));
    else if (fresh.has(prepared.value.externalId)) repeats.push(prepared.value);
    else fresh.set(prepared.value.externalId, prepared.value);
  }
  if (fresh.size === 0) return { outcomes, customerIds };

  const payments = [...fresh.values()];
  const inserted = await sql<{ id: string; external_id: string }>`
    insert into payments (external_id, receivable_id, amount_minor, currency, paid_at, created_at)
    select x.external_id, x.receivable_id, x.amount_minor, x.currency, x.paid_at, ${now}::timestamptz
    from unnest(${payments.map((p) => p.externalId)}::text[], ${payments.map((p) => p.receivableId)}::uuid[],
                ${payments.map((p) => p.amountMinor)}::bigint[], ${payments.map((p) => p.currency)}::text[],
                ${payments.map((p) => p.paidAt)}::timestamptz[]) as x(external_id, receivable_id, amount_minor, currency, paid_at)
    on conflict (external_id) do nothing
    returning id, external_id`.execute(trx);
  const insertedIds = new Map(inserted.rows.map((r) => [r.external_id, r.id]));

  const applied = payments.filter((p) => insertedIds.has(p.externalId));
  if (applied.length > 0) {
    const settled = await addToReceivables(trx, now, applied);
    // Same transaction: once the payment commits, no reminder for what it settled can be claimed.
    await cancelAttemptsForReceivables(trx, now, settled, 'paid');
    await markLatePayments(trx, now, applied.map((p) => p.paidAt));
  }
  for (const payment of applied) {
    outcomes.set(payment.index, { status: 'created', id: insertedIds.get(payment.externalId)! });
    customerIds.add(payment.customerId);
  }

  // Everything not inserted was seen before: in an earlier request, or earlier in this batch.
  const seenBefore = [...payments.filter((p) => !insertedIds.has(p.externalId)), ...repeats];
  if (seenBefore.length > 0) {
    const stored = await trx
      .selectFrom('payments')
      .select(['id', 'external_id', 'receivable_id', 'amount_minor'])
      .where(anyOf('external_id', seenBefore.map((p) => p.externalId), 'text'))
      .execute();
    const byExternalId = new Map(stored.map((s) => [s.external_id, s]));
    for (const payment of seenBefore) {
      const original = byExternalId.get(payment.externalId);
      const same = original && original.receivable_id === payment.receivableId && original.amount_minor === payment.amountMinor;
      outcomes.set(payment.index, same ? { status: 'duplicate', id: original.id } : rejected(replayConflict(payment.externalId)));
    }
  }
  return { outcomes, customerIds };
}

/** Adds the payments to their receivables; returns the ids of those this settled. */
async function addToReceivables(trx: Db, now: Date, payments: PreparedPayment[]): Promise<string[]> {
  const result = await sql<{ id: string; settled: boolean }>`
    update receivables r set
      paid_minor = r.paid_minor + x.total,
      status = case when r.status in ('open', 'written_off') and r.paid_minor + x.total >= r.amount_minor then 'paid' else r.status end,
      closed_at = case when r.status in ('open', 'written_off') and r.paid_minor + x.total >= r.amount_minor then ${now}::timestamptz else r.closed_at end,
      updated_at = ${now}::timestamptz
    from (
      select receivable_id, sum(amount_minor)::bigint as total
      from unnest(${payments.map((p) => p.receivableId)}::uuid[], ${payments.map((p) => p.amountMinor)}::bigint[]) as p(receivable_id, amount_minor)
      group by receivable_id
    ) x
    where r.id = x.receivable_id
    returning r.id, (r.status = 'paid' and r.closed_at = ${now}::timestamptz) as settled`.execute(trx);
  return result.rows.filter((r) => r.settled).map((r) => r.id);
}
