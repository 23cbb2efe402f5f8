import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { optOut } from '../customers/consent.js';
import { applyProviderEvents } from '../delivery/receipts.js';
import type { WeChatPush } from '../delivery/providers/wechat-push.js';
import { buildTextReply } from '../delivery/providers/wechat-xml.js';
import { type InboundDeps, resolveSender } from './inbound.js';

/** What to answer WeChat: `success`, or a passive reply in the same chat. */
export type WeChatAnswer = { kind: 'success' } | { kind: 'reply'; xml: string };

type Deps = InboundDeps;

// The provider id WeChat's template sends are recorded under (see the registry), so receipts match them.
const PROVIDER_ID = 'wechat';
const PASSIVE_PROVIDER = 'wechat-passive-reply';

/**
 * A reply that went out queued (the opt-out acknowledgement) is sent here instead, in the passive
 * reply, and the queued copy is marked sent: one acknowledgement, never two. Returns false when the
 * queued copy was already taken by a worker, so the caller must not send it a second time.
 */
async function takeOverQueuedReply(db: Db, since: Date, now: Date, customerId: string, text: string): Promise<boolean> {
  const queued = await db
    .selectFrom('contact_attempts')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('channel', '=', 'wechat')
    .where('created_at', '>=', since)
    .where(sql<boolean>`content->>'text' = ${text}`)
    .execute();
  if (queued.length === 0) return true;
  // Two queued copies is not a case a single passive reply can stand in for: leave both to the queue.
  if (queued.length > 1) return false;
  const taken = await db
    .updateTable('contact_attempts')
    .set({ status: 'sent', sent_at: now, provider: PASSIVE_PROVIDER, last_error: null, updated_at: now })
    .where('id', '=', queued[0]!.id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return taken.numUpdatedRows === 1n;
}

async function answerText(deps: Deps, push: Extract<WeChatPush, { kind: 'text' }>): Promise<WeChatAnswer> {
  // Taken before handling, so that whatever the handling queues is found by created_at on a real clock too.
  const since = deps.clock.now();
  const applied = await applyProviderEvents(deps, PROVIDER_ID, [
    { kind: 'inbound', channel: 'wechat', from: { wechatOpenId: push.openId }, text: push.text.slice(0, 4000), at: since, ...(push.msgId ? { providerMessageId: push.msgId } : {}) },
  ]);
  const outcome = applied.inbound[0];
  const replies = outcome?.replies.filter((r) => r.channel === 'wechat') ?? [];
  // A passive reply carries one message: the assistant's answers to this message go together in it.
  if (replies.length === 0) return { kind: 'success' };
  const text = replies.map((r) => r.text).join('\n\n');
  const now = deps.clock.now();
  if (outcome?.customerId && !(await takeOverQueuedReply(deps.db, since, now, outcome.customerId, text))) return { kind: 'success' };
  return { kind: 'reply', xml: buildTextReply({ toUser: push.openId, fromUser: push.account, createTime: now.getTime() / 1000, content: text }) };
}

/**
 * Unfollowing the official account withdraws WeChat consent like 退订. WeChat delivers nothing to a
 * non-follower, so the acknowledgement optOut queues is cancelled rather than left to fail.
 */
async function withdrawOnUnfollow(deps: Deps, openId: string): Promise<void> {
  const sender = await resolveSender(deps.db, deps.vault, { wechatOpenId: openId });
  if (!sender.ok || !sender.value) return;
  const now = deps.clock.now();
  const result = await optOut(deps.db, now, { customerId: sender.value, channel: 'wechat', source: 'wechat:unsubscribe', actor: `provider:${PROVIDER_ID}` });
  if (!result.changed) return;
  await deps.db
    .updateTable('contact_attempts')
    .set({ status: 'cancelled', last_error: 'the customer unfollowed the official account; WeChat cannot deliver to them', updated_at: now })
    .where('customer_id', '=', sender.value)
    .where('channel', '=', 'wechat')
    .where('template_id', '=', 'opt_out_acknowledgement')
    .where('created_at', '>=', now)
    .where('status', '=', 'scheduled')
    .execute();
}

/** Acts on one verified WeChat push and says what to answer. */
export async function handleWeChatPush(deps: Deps, push: WeChatPush): Promise<WeChatAnswer> {
  switch (push.kind) {
    case 'text':
      return answerText(deps, push);
    case 'unsubscribe':
      await withdrawOnUnfollow(deps, push.openId);
      return { kind: 'success' };
    case 'receipt':
      await applyProviderEvents(deps, PROVIDER_ID, [push.event]);
      return { kind: 'success' };
    case 'ignored':
      return { kind: 'success' };
  }
}
