import Type, { type Static } from 'typebox';
import { type Result, fail, invalid, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Channel, IdentityKind } from '../db/schema.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { CHANNELS } from '../customers/customer-schema.js';
import { optOut } from '../customers/consent.js';
import { normaliseIdentity } from '../customers/identities.js';
import { message } from './assistant-message.js';
import { textsFor } from './assistant-texts.js';
import { runAssistantTurn } from './assistant.js';
import type { AssistantDeps } from './flow-context.js';
import { isOptOutKeyword } from './opt-out-keywords.js';
import { type RenderedReply, type ReplyChannel, renderFor } from './render.js';
import { attemptVerification, establishTrust, readVerificationAnswer, type SenderAddress } from './verification.js';
import { recordConversationEvents } from './conversation-events.js';

/** The contact channels, plus `web`: the customer chat page, which has no address of its own and always verifies. */
export const INBOUND_CHANNELS = [...CHANNELS, 'web'] as const;

export const InboundInput = Type.Object(
  {
    channel: Type.Enum([...INBOUND_CHANNELS]),
    from: Type.Object(
      {
        phone: Type.Optional(Type.String({ maxLength: 40 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        wechatOpenId: Type.Optional(Type.String({ maxLength: 128 })),
        appUserId: Type.Optional(Type.String({ maxLength: 128 })),
        webSessionId: Type.Optional(Type.String({ minLength: 8, maxLength: 128, description: 'The web chat page\'s session: identifies the browser, never the customer' })),
      },
      { additionalProperties: false, minProperties: 1, maxProperties: 1 },
    ),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
    link: Type.Optional(Type.String({ minLength: 10, maxLength: 2000, description: 'The signed chat link from a reminder: verifies the sender as its customer' })),
  },
  { additionalProperties: false },
);
export type InboundInput = Static<typeof InboundInput>;

type FromField = keyof InboundInput['from'];
const FROM_KIND: Partial<Record<FromField, IdentityKind>> = { phone: 'phone', email: 'email', wechatOpenId: 'wechat_open_id', appUserId: 'app_user_id' };

export type InboundReply = RenderedReply;

export interface InboundOutcome {
  customerId: string | null;
  handledAs: 'opt_out' | 'recorded' | 'unknown_sender' | 'verification' | 'assistant' | 'agent';
  replies: InboundReply[];
}

export type InboundDeps = AssistantDeps;

/** Finds the customer behind a phone, email, openid or app id through its keyed hash, never by decrypting. */
export async function resolveSender(db: Db, vault: PiiVault, from: InboundInput['from']): Promise<Result<string | null>> {
  const [field, raw] = Object.entries(from)[0] as [FromField, string];
  const kind = FROM_KIND[field];
  if (!kind) return ok(null);
  const normalised = normaliseIdentity(kind, raw);
  if ('error' in normalised) return fail(invalid([{ field: `from.${field}`, reason: normalised.error }]));
  const row = await db
    .selectFrom('customer_identities')
    .select('customer_id')
    .where('kind', '=', kind)
    .where('lookup_hash', '=', vault.lookupHash(kind, normalised.value))
    .executeTakeFirst();
  return ok(row?.customer_id ?? null);
}

// C0 controls other than tab and line breaks, and DEL: what binary data pasted as text looks like.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

function checkText(text: string): Result<string> {
  if (CONTROL.test(text)) return fail(invalid([{ field: 'text', reason: 'contains control characters: send the message as plain text, not binary data' }]));
  const trimmed = text.trim();
  if (trimmed === '') return fail(invalid([{ field: 'text', reason: 'is blank: send the words of the message' }]));
  return ok(trimmed);
}

function senderOf(input: InboundInput): SenderAddress {
  const [field, value] = Object.entries(input.from)[0] as [FromField, string];
  return { channel: input.channel, field, value: value.trim() };
}

function guessLocale(text: string) {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' as const : 'en' as const;
}

async function recordInbound(deps: InboundDeps, customerId: string, channel: ReplyChannel, text: string, now: Date): Promise<void> {
  await recordConversationEvents(deps.db, customerId, now, [{ kind: 'message.inbound', channel: channel === 'web' ? null : channel, payload: { text, surface: channel } }]);
}

/** A sender not yet verified: nothing about any debt is said, only how to verify. */
async function answerUnverified(deps: InboundDeps, input: InboundInput, text: string, sender: SenderAddress, claimedCustomerId: string | null): Promise<InboundOutcome> {
  const texts = textsFor(guessLocale(text));
  const now = deps.clock.now();
  const reply = (kind: string, words: string) => [renderFor(input.channel, message(kind, words))];
  const answer = readVerificationAnswer(text);
  if (!answer) return { customerId: null, handledAs: 'verification', replies: reply('verify', texts.verifyPrompt) };
  const { verificationHours, maxVerificationFailures } = deps.config.assistant;
  const result = await attemptVerification(deps, now, { sender, claimedCustomerId, answer, verificationHours, maxFailures: maxVerificationFailures });
  if (result.kind === 'verified') return { customerId: result.customerId, handledAs: 'verification', replies: reply('verified', texts.verified) };
  const locked = result.kind === 'locked' || result.locked;
  return { customerId: null, handledAs: 'verification', replies: reply(locked ? 'verify_locked' : 'verify_failed', locked ? texts.verifyLocked : texts.verifyFailed) };
}

/**
 * A message from a debtor. Opt-out words are honoured first, on every channel; then the sender is
 * identified or asked to verify; then the assistant answers, unless an agent has the conversation.
 */
export async function handleInbound(deps: InboundDeps, input: InboundInput, actor: string): Promise<Result<InboundOutcome>> {
  const checked = checkText(input.text);
  if (!checked.ok) return checked;
  const text = checked.value;
  const resolved = await resolveSender(deps.db, deps.vault, input.from);
  if (!resolved.ok) return resolved;
  const deliveryChannel: Channel | null = input.channel === 'web' ? null : input.channel;
  const now = deps.clock.now();
  if (isOptOutKeyword(text)) {
    // Nothing about any debt is said to a sender we cannot identify.
    if (!resolved.value || !deliveryChannel) return ok({ customerId: null, handledAs: 'unknown_sender', replies: [] });
    await recordInbound(deps, resolved.value, input.channel, text, now);
    const result = await optOut(deps.db, now, { customerId: resolved.value, channel: deliveryChannel, source: `inbound:${deliveryChannel}`, actor });
    return ok({ customerId: resolved.value, handledAs: 'opt_out', replies: result.acknowledgement ? [{ channel: input.channel, kind: 'opt_out', text: result.acknowledgement }] : [] });
  }
  const sender = senderOf(input);
  const { verificationHours } = deps.config.assistant;
  const trust = await establishTrust(deps, now, { sender, resolvedCustomerId: resolved.value, link: input.link, verificationHours });
  if (trust.kind === 'unverified') return ok(await answerUnverified(deps, input, text, sender, trust.claimedCustomerId));
  await recordInbound(deps, trust.customerId, input.channel, text, now);
  const turn = await runAssistantTurn(deps, { customerId: trust.customerId, channel: input.channel, deliveryChannel, text, actor });
  return ok({
    customerId: trust.customerId,
    handledAs: turn.silentBecause ? 'agent' : 'assistant',
    replies: turn.messages.map((m) => renderFor(input.channel, m)),
  });
}
