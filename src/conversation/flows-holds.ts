import { sql } from 'kysely';
import { appendAudit } from '../compliance/audit-log.js';
import { formatMinor } from '../core/money.js';
import { optOut } from '../customers/consent.js';
import { cancelScheduledContact, MAX_PROMISE_DAYS, openDispute, recordPromise } from '../holds/index.js';
import { type AssistantMessage, message } from './assistant-message.js';
import { loadOwed, localDay, money, totalsByCurrency } from './account.js';
import type { FlowContext } from './flow-context.js';
import { handOff } from './handoff.js';
import { recordConversationEvents } from './conversation-events.js';

function firstDate(ctx: FlowContext): string | undefined {
  return ctx.nlu.entities.dates[0]?.date;
}

function daysFromToday(ctx: FlowContext, date: string): number {
  const today = Date.parse(`${localDay(ctx.now, ctx.customer.timezone)}T00:00:00Z`);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / 86_400_000);
}

/** Records a promise for everything owed in the first currency, by the end of `date` in the debtor's zone. */
async function promise(ctx: FlowContext, date: string, externalId?: string): Promise<{ ok: true; amount: string } | { ok: false }> {
  const total = totalsByCurrency(await loadOwed(ctx.deps.db, ctx.customer.id))[0];
  if (!total) return { ok: false };
  const result = await recordPromise(
    ctx.deps.db, ctx.now,
    { customerExternalId: ctx.customer.externalId, amount: formatMinor(total.minor, total.currency), currency: total.currency, promisedFor: date, source: 'assistant', ...(externalId ? { externalId } : {}) },
    ctx.actor,
  );
  return result.ok ? { ok: true, amount: money(total.minor, total.currency) } : { ok: false };
}

export async function promiseToPay(ctx: FlowContext): Promise<AssistantMessage[]> {
  const owed = await loadOwed(ctx.deps.db, ctx.customer.id);
  if (owed.length === 0) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const date = firstDate(ctx);
  ctx.session.flow = 'promise_to_pay';
  if (!date) {
    ctx.session.slots = { ...ctx.session.slots, pending: 'promise_date' };
    return [message('ask_promise_date', ctx.texts.askPromiseDate)];
  }
  const recorded = await promise(ctx, date);
  if (!recorded.ok) {
    ctx.session.slots = { ...ctx.session.slots, pending: 'promise_date' };
    return [message('ask_promise_date', ctx.texts.promiseBadDate(MAX_PROMISE_DAYS))];
  }
  ctx.session.flow = null;
  ctx.session.slots = {};
  return [message('promise_recorded', ctx.texts.promiseRecorded(recorded.amount, date))];
}

async function graceRefusal(ctx: FlowContext, why: string): Promise<AssistantMessage[]> {
  const handed = await handOff(ctx, 'grace_needs_agent', { why });
  return [message('grace_unavailable', ctx.texts.graceUnavailable), ...handed];
}

/**
 * A few more days to pay, within the policy's `assistant.grace` limits: granted as a promise to pay
 * on the new date (so reminders wait and a missed date is recorded as broken), keyed `grace:` so the
 * grants in the window can be counted. Outside the limits, or with no limits set, a person decides.
 */
export async function requestGrace(ctx: FlowContext): Promise<AssistantMessage[]> {
  const grace = ctx.deps.policy.document.assistant?.grace;
  if (!grace) return graceRefusal(ctx, 'the policy sets no grace limits');
  const owed = await loadOwed(ctx.deps.db, ctx.customer.id);
  if (owed.length === 0) return [message('nothing_owed', ctx.texts.nothingOwed)];
  const stage = await ctx.deps.db.selectFrom('cases').select('stage').where('customer_id', '=', ctx.customer.id).where('status', '=', 'open').executeTakeFirst();
  if (grace.stages && !(grace.stages as readonly string[]).includes(stage?.stage ?? 'pre_due')) return graceRefusal(ctx, `stage ${stage?.stage ?? 'pre_due'} is not eligible`);
  const since = new Date(ctx.now.getTime() - grace.windowDays * 86_400_000);
  const granted = await ctx.deps.db
    .selectFrom('promises_to_pay')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('customer_id', '=', ctx.customer.id)
    .where('external_id', 'like', 'grace:%')
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  if (granted.n >= grace.maxGrants) return graceRefusal(ctx, `${granted.n} grace period(s) already granted in ${grace.windowDays} days`);
  const date = firstDate(ctx);
  ctx.session.flow = 'request_extension';
  if (!date || daysFromToday(ctx, date) < 1 || daysFromToday(ctx, date) > grace.maxDays) {
    ctx.session.slots = { ...ctx.session.slots, pending: 'grace_date' };
    return [message('grace_offer', ctx.texts.graceOffer(grace.maxDays))];
  }
  const recorded = await promise(ctx, date, `grace:${ctx.customer.id}:${ctx.now.toISOString()}`);
  if (!recorded.ok) return [message('grace_offer', ctx.texts.graceOffer(grace.maxDays))];
  ctx.session.flow = null;
  ctx.session.slots = {};
  return [message('grace_granted', ctx.texts.graceGranted(date))];
}

export function askPaymentReference(ctx: FlowContext): AssistantMessage[] {
  ctx.session.flow = 'already_paid';
  ctx.session.slots = { ...ctx.session.slots, pending: 'payment_reference' };
  return [message('ask_payment_reference', ctx.texts.askPaymentReference)];
}

/** A payment reference: a token of letters and digits with at least one digit ("TX-2026-0419", "4200001234"). */
export function readReference(text: string): string | undefined {
  const tokens = text.normalize('NFKC').match(/[A-Za-z0-9][A-Za-z0-9-]{3,39}/g) ?? [];
  return tokens.filter((t) => /\d/.test(t)).sort((a, b) => b.length - a.length)[0];
}

/**
 * The debtor says they already paid and gave the reference: reminders wait `alreadyPaidPauseDays`
 * (the planner reads conversations.reminders_paused_until) and the claim is flagged for
 * reconciliation on the timeline, where the payments team finds it.
 */
export async function recordPaidClaim(ctx: FlowContext, reference: string): Promise<AssistantMessage[]> {
  const until = new Date(ctx.now.getTime() + ctx.deps.config.assistant.alreadyPaidPauseDays * 86_400_000);
  await ctx.deps.db.transaction().execute(async (trx) => {
    const cancelled = await cancelScheduledContact(trx, ctx.now, { customerId: ctx.customer.id }, 'the customer says they already paid');
    await recordConversationEvents(trx, ctx.customer.id, ctx.now, [{ kind: 'payment.claimed', channel: ctx.deliveryChannel, payload: { reference, reconcile: true, pausedUntil: until.toISOString() } }]);
    await trx.updateTable('conversations').set({ reconciliation_flagged_at: ctx.now }).where('customer_id', '=', ctx.customer.id).execute();
    await appendAudit(trx, ctx.now, { actor: ctx.actor, action: 'payment.claimed', subject: ctx.customer.id, details: { pausedUntil: until.toISOString(), cancelledAttempts: cancelled } });
  });
  ctx.session.remindersPausedUntil = until;
  ctx.session.flow = null;
  ctx.session.slots = {};
  return [message('already_paid_noted', ctx.texts.alreadyPaidNoted(localDay(until, ctx.customer.timezone)))];
}

export async function dispute(ctx: FlowContext): Promise<AssistantMessage[]> {
  await openDispute(ctx.deps.db, ctx.now, { customerExternalId: ctx.customer.externalId, reason: ctx.text.slice(0, 2000) }, ctx.actor);
  const handed = await handOff(ctx, 'dispute');
  return [message('dispute_opened', ctx.texts.disputeOpened), ...handed];
}

/** The unsubscribe intent in other words than STOP: the same opt-out, on the channel it came from. */
export async function unsubscribe(ctx: FlowContext): Promise<AssistantMessage[]> {
  if (!ctx.deliveryChannel) return [message('unsubscribed', ctx.texts.unsubscribed)];
  const result = await optOut(ctx.deps.db, ctx.now, { customerId: ctx.customer.id, channel: ctx.deliveryChannel, source: `assistant:${ctx.deliveryChannel}`, actor: ctx.actor });
  return [message('unsubscribed', result.acknowledgement ?? ctx.texts.unsubscribed)];
}
