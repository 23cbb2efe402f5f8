import { appendAudit } from '../compliance/audit-log.js';
import { type FieldError, type Result, conflict, fail, invalid, ok } from '../core/errors.js';
import { formatMinor, parseAmount } from '../core/money.js';
import { DAY_MS, parseInstant } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import type { PromiseSource, PromiseStatus } from '../db/schema.js';
import { cancelScheduledContact } from './cancel-contact.js';
import { findCustomer, findReceivablesOf, type HoldReceivable, owedReceivables } from './lookups.js';
import { PromiseInput } from './schemas.js';

/** A promise further out than this is a payment plan, not a promise: it would silence collection for too long. */
export const MAX_PROMISE_DAYS = 30;

export interface PromiseView {
  id: string;
  externalId: string | null;
  customerId: string;
  receivableIds: string[];
  amount: string;
  currency: string;
  promisedFor: string;
  status: PromiseStatus;
  source: PromiseSource;
  createdAt: string;
  resolvedAt: string | null;
}

export interface PromiseOutcome {
  promise: PromiseView;
  /** False when the externalId was seen before: the earlier promise is returned and nothing changes. */
  created: boolean;
  cancelledAttempts: number;
}

interface PromiseRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  receivable_ids: string[];
  amount_minor: bigint;
  currency: string;
  promised_for: Date;
  status: PromiseStatus;
  source: PromiseSource;
  created_at: Date;
  resolved_at: Date | null;
}

export function toPromiseView(row: PromiseRow): PromiseView {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    receivableIds: row.receivable_ids,
    amount: formatMinor(row.amount_minor, row.currency.trim()),
    currency: row.currency.trim(),
    promisedFor: row.promised_for.toISOString(),
    status: row.status,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

interface Prepared {
  customerId: string;
  receivableIds: string[];
  amountMinor: bigint;
  promisedFor: Date;
}

function checkDate(value: string, zone: string, now: Date): Result<Date> {
  const parsed = parseInstant(value, 'promisedFor', zone);
  if (!parsed.ok) return fail(invalid([parsed.error]));
  const at = parsed.instant.getTime();
  if (at <= now.getTime()) return fail(invalid([{ field: 'promisedFor', reason: `must be in the future (now is ${now.toISOString()})` }]));
  if (at > now.getTime() + MAX_PROMISE_DAYS * DAY_MS) {
    return fail(invalid([{ field: 'promisedFor', reason: `must be within ${MAX_PROMISE_DAYS} days (by ${new Date(now.getTime() + MAX_PROMISE_DAYS * DAY_MS).toISOString()})` }]));
  }
  return ok(parsed.instant);
}

async function resolveDebts(trx: Db, customerId: string, input: PromiseInput): Promise<Result<HoldReceivable[]>> {
  if (input.receivableExternalIds === undefined) {
    const owed = (await owedReceivables(trx, customerId)).filter((r) => r.currency.trim() === input.currency);
    return owed.length > 0 ? ok(owed) : fail(invalid([{ field: 'currency', reason: `the customer owes nothing in ${input.currency}` }]));
  }
  const found = await findReceivablesOf(trx, customerId, input.receivableExternalIds, (i) => `receivableExternalIds[${i}]`);
  if (!found.ok) return found;
  const errors: FieldError[] = found.value
    .filter((r) => r.currency.trim() !== input.currency)
    .map((r) => ({ field: 'currency', reason: `receivable ${JSON.stringify(r.externalId)} is in ${r.currency.trim()}, not ${input.currency}` }));
  return errors.length > 0 ? fail(invalid(errors.slice(0, 1))) : found;
}

/** Every check before any write, so that a rejected promise leaves nothing behind. */
async function preparePromise(trx: Db, now: Date, input: PromiseInput): Promise<Result<Prepared>> {
  const customer = await findCustomer(trx, input.customerExternalId);
  if (!customer.ok) return customer;
  const amount = parseAmount(input.amount, input.currency, 'amount');
  const date = checkDate(input.promisedFor, customer.value.timezone ?? 'UTC', now);
  const errors = [...(amount.ok ? [] : [amount.error]), ...(date.ok ? [] : date.error.details)];
  if (!amount.ok || !date.ok) return fail(invalid(errors));
  const debts = await resolveDebts(trx, customer.value.id, input);
  if (!debts.ok) return debts;
  return ok({ customerId: customer.value.id, receivableIds: debts.value.map((r) => r.id), amountMinor: amount.minor, promisedFor: date.value });
}

async function findByExternalId(trx: Db, externalId: string | undefined): Promise<PromiseRow | undefined> {
  if (externalId === undefined) return undefined;
  return trx.selectFrom('promises_to_pay').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

/**
 * Records a promise to pay and cancels the customer's waiting reminders in the same transaction; the
 * planner then holds every reminder until the promised instant. A replayed externalId returns the
 * first promise, even after its date has passed, without checking the date again.
 */
export async function recordPromise(db: Db, now: Date, input: PromiseInput, actor: string): Promise<Result<PromiseOutcome>> {
  const shape = schemaErrors(PromiseInput, input);
  if (shape.length > 0) return fail(invalid(shape));
  return db.transaction().execute(async (trx) => {
    const earlier = await findByExternalId(trx, input.externalId);
    if (earlier) return replayed(trx, earlier, input);
    const prepared = await preparePromise(trx, now, input);
    if (!prepared.ok) return prepared;
    const p = prepared.value;
    const row = await trx
      .insertInto('promises_to_pay')
      .values({
        external_id: input.externalId ?? null, customer_id: p.customerId, receivable_ids: p.receivableIds, amount_minor: p.amountMinor,
        currency: input.currency, promised_for: p.promisedFor, status: 'open', source: input.source ?? 'api', created_at: now,
      })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return replayed(trx, (await findByExternalId(trx, input.externalId))!, input);
    // Every reminder waits for the promised date, not only those about the promised debts: one
    // reminder about another bill would read as a breach of the arrangement to the debtor.
    const cancelledAttempts = await cancelScheduledContact(trx, now, { customerId: p.customerId }, 'promise to pay recorded');
    await appendAudit(trx, now, {
      actor, action: 'promise.made', subject: p.customerId,
      details: { promiseId: row.id, amountMinor: p.amountMinor.toString(), currency: input.currency, promisedFor: p.promisedFor.toISOString(), cancelledAttempts },
    });
    return ok({ promise: toPromiseView(row), created: true, cancelledAttempts });
  });
}

async function replayed(trx: Db, earlier: PromiseRow, input: PromiseInput): Promise<Result<PromiseOutcome>> {
  const customer = await findCustomer(trx, input.customerExternalId);
  if (!customer.ok || customer.value.id !== earlier.customer_id) {
    return fail(conflict(`promise ${input.externalId} was already recorded for another customer`, [{ field: 'externalId', reason: 'already used for a different promise' }]));
  }
  return ok({ promise: toPromiseView(earlier), created: false, cancelledAttempts: 0 });
}
