import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import { anyOf } from '../db/any-of.js';
import { fromDraft, type MessageDraft, type MessageRenderer, type RenderRequest, shippedRenderer, type WrittenMessage } from '../messaging/index.js';
import type { AttemptRow } from './attempt-queue.js';

/**
 * The words of a contact attempt at the moment it is sent. The planner stores what a reminder is to
 * say (`content.draft`: template, wording, facts); it is worded here, so the message carries links
 * signed now and the template (or language model) in force now, and its relative dates ("due
 * yesterday") are true on the day it goes out, also after a retry. Content written by other paths (an
 * agent's reply, an acknowledgement, a retry of a model's words) has no draft and goes as stored.
 */
export interface SendWordingDeps {
  renderer?: MessageRenderer;
  /** Words a draft with the language model (falling back to the template); absent when no model is configured. */
  writeDraft?: (request: RenderRequest) => Promise<WrittenMessage>;
  /** The signed short link to the debtor's chat-and-pay page, for templates with a place for it. */
  payLinkUrl?: (customerId: string, now: Date) => string;
  /** A signed one-click unsubscribe link (email carries it, by law). */
  unsubscribeUrl?: (customerId: string, channel: Channel, now: Date) => string;
}

export type SendWording =
  /** Every debt the reminder is about was settled after it was planned: it must not go. */
  | { worded: 'nothing-owed' }
  /** Worded before this send: nothing to store. */
  | { content: Record<string, unknown>; worded: 'stored' }
  /** Rendered from the template now: deterministic, so it is stored with the send's outcome. */
  | { content: Record<string, unknown>; worded: 'template' }
  /** Worded by the language model now: stored before sending, so that a retry sends the same words. */
  | { content: Record<string, unknown>; worded: 'model' };

/** What a receivable owes at the moment of sending. */
export interface OwedNow {
  amountMinor: bigint;
  currency: string;
  dueAt: Date;
}

/**
 * What the receivables of a batch of attempts owe now, by id; settled ones are absent. One read per
 * claimed batch, so that a reminder states the balance as it is when it goes out: a partial payment
 * after planning lowers the amount, and a payment that settled everything while the attempt was
 * being claimed stops it (the payment cancels only attempts not yet claimed).
 */
export async function loadOwedNow(db: Db, attempts: readonly AttemptRow[]): Promise<Map<string, OwedNow>> {
  const ids = [...new Set(attempts.flatMap((a) => (a.content as { draft?: unknown }).draft ? a.receivable_ids : []))];
  const owed = new Map<string, OwedNow>();
  if (ids.length === 0) return owed;
  const rows = await db
    .selectFrom('receivables')
    .select(['id', 'currency', 'due_at', 'amount_minor', 'paid_minor'])
    .where(anyOf('id', ids, 'uuid'))
    .where('status', 'in', ['open', 'written_off'])
    .execute();
  for (const r of rows) if (r.amount_minor > r.paid_minor) owed.set(r.id, { amountMinor: r.amount_minor - r.paid_minor, currency: r.currency, dueAt: r.due_at });
  return owed;
}

/** The render request a draft becomes at `now`, with fresh links. */
export function requestAtSend(deps: SendWordingDeps, draft: MessageDraft, customerId: string, now: Date): RenderRequest {
  const request = fromDraft(draft);
  return {
    ...request,
    now,
    payLink: deps.payLinkUrl?.(customerId, now) ?? request.payLink,
    unsubscribeUrl: draft.channel === 'email' ? (deps.unsubscribeUrl?.(customerId, 'email', now) ?? request.unsubscribeUrl) : undefined,
  };
}

/**
 * `owed` (from loadOwedNow) replaces the draft's amounts with the balances of the attempt's
 * receivables now; without it, or for an attempt that names none, the draft's facts are used.
 */
export async function wordForSending(deps: SendWordingDeps, attempt: AttemptRow, now: Date, owed?: ReadonlyMap<string, OwedNow>): Promise<SendWording> {
  const { draft, ...stored } = attempt.content as Record<string, unknown> & { draft?: MessageDraft };
  if (!draft) return { content: stored, worded: 'stored' };
  const request = requestAtSend(deps, draft, attempt.customer_id, now);
  if (owed && attempt.receivable_ids.length > 0) {
    const items = attempt.receivable_ids.flatMap((id) => owed.get(id) ?? []);
    if (items.length === 0) return { worded: 'nothing-owed' };
    request.items = items;
  }
  const locale = stored.locale ?? draft.locale;
  if (!deps.writeDraft) return { content: { ...(deps.renderer ?? shippedRenderer()).render(request), locale }, worded: 'template' };
  const written = await deps.writeDraft(request);
  const writer = written.source === 'model' ? { source: 'model' } : { source: 'template', ...(written.fallback ? { fallback: written.fallback } : {}) };
  return { content: { ...written.content, locale, writer }, worded: 'model' };
}
