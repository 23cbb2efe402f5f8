import { appendAudit } from '../compliance/audit-log.js';
import { type Result, conflict, fail, invalid, notFound, ok } from '../core/errors.js';
import { schemaErrors } from '../core/validate.js';
import type { Db } from '../db/database.js';
import type { DisputeStatus } from '../db/schema.js';
import { cancelScheduledContact } from './cancel-contact.js';
import { findCustomer, findReceivablesOf } from './lookups.js';
import { DisputeInput, ResolveDisputeInput } from './schemas.js';

export interface DisputeView {
  id: string;
  externalId: string | null;
  customerId: string;
  receivableId: string | null;
  status: DisputeStatus;
  reason: string;
  resolution: string | null;
  openedAt: string;
  resolvedAt: string | null;
}

export interface DisputeOutcome {
  dispute: DisputeView;
  /** False when the externalId was seen before: the earlier dispute is returned and nothing changes. */
  created: boolean;
  cancelledAttempts: number;
}

interface DisputeRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  receivable_id: string | null;
  status: DisputeStatus;
  reason: string;
  resolution: string | null;
  opened_at: Date;
  resolved_at: Date | null;
}

export function toDisputeView(row: DisputeRow): DisputeView {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    receivableId: row.receivable_id,
    status: row.status,
    reason: row.reason,
    resolution: row.resolution,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

async function findByExternalId(trx: Db, externalId: string | undefined): Promise<DisputeRow | undefined> {
  if (externalId === undefined) return undefined;
  return trx.selectFrom('disputes').selectAll().where('external_id', '=', externalId).executeTakeFirst();
}

/**
 * Opens a dispute on one debt, or on everything the customer owes, and in the same transaction
 * cancels the reminders it concerns: no reminder may go while a dispute is open.
 */
export async function openDispute(db: Db, now: Date, input: DisputeInput, actor: string): Promise<Result<DisputeOutcome>> {
  const shape = schemaErrors(DisputeInput, input);
  if (shape.length > 0) return fail(invalid(shape));
  return db.transaction().execute(async (trx) => {
    const customer = await findCustomer(trx, input.customerExternalId);
    if (!customer.ok) return customer;
    const earlier = await findByExternalId(trx, input.externalId);
    if (earlier && earlier.customer_id !== customer.value.id) {
      return fail(conflict(`dispute ${input.externalId} was already opened for another customer`, [{ field: 'externalId', reason: 'already used for a different dispute' }]));
    }
    if (earlier) return ok({ dispute: toDisputeView(earlier), created: false, cancelledAttempts: 0 });
    let receivableId: string | null = null;
    if (input.receivableExternalId !== undefined) {
      const found = await findReceivablesOf(trx, customer.value.id, [input.receivableExternalId], () => 'receivableExternalId');
      if (!found.ok) return found;
      receivableId = found.value[0]!.id;
    }
    const row = await trx
      .insertInto('disputes')
      .values({ external_id: input.externalId ?? null, customer_id: customer.value.id, receivable_id: receivableId, status: 'open', reason: input.reason, opened_at: now })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    // Lost a race with the same externalId: the other request's dispute stands.
    if (!row) return ok({ dispute: toDisputeView((await findByExternalId(trx, input.externalId))!), created: false, cancelledAttempts: 0 });
    const scope = { customerId: customer.value.id, receivableIds: receivableId ? [receivableId] : undefined };
    const cancelledAttempts = await cancelScheduledContact(trx, now, scope, 'dispute opened');
    // The reason is free text that may carry personal data; the append-only log keeps only its id.
    await appendAudit(trx, now, { actor, action: 'dispute.opened', subject: customer.value.id, details: { disputeId: row.id, receivableId, cancelledAttempts } });
    return ok({ dispute: toDisputeView(row), created: true, cancelledAttempts });
  });
}

/** Resolves an open dispute; reminders resume at the planner's next pass. */
export async function resolveDispute(db: Db, now: Date, id: string, input: ResolveDisputeInput, actor: string): Promise<Result<DisputeView>> {
  const shape = schemaErrors(ResolveDisputeInput, input);
  if (shape.length > 0) return fail(invalid(shape));
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('disputes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return fail(notFound('dispute', 'id', id));
    if (current.status !== 'open') {
      return fail(conflict(`dispute ${id} was already resolved at ${current.resolved_at?.toISOString()}`, [{ field: 'id', reason: 'is not an open dispute' }]));
    }
    const row = await trx
      .updateTable('disputes')
      .set({ status: 'resolved', resolution: input.resolution, resolved_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, now, { actor, action: 'dispute.resolved', subject: row.customer_id, details: { disputeId: id } });
    return ok(toDisputeView(row));
  });
}
