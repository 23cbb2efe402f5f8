import Type, { type Static } from 'typebox';
import type { Clock } from '../core/clock.js';
import { type Result, fail, invalid, ok } from '../core/errors.js';
import type { Db } from '../db/database.js';
import type { Channel, IdentityKind } from '../db/schema.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { CHANNELS } from '../customers/customer-schema.js';
import { optOut } from '../customers/consent.js';
import { normaliseIdentity } from '../customers/identities.js';
import { isOptOutKeyword } from './opt-out-keywords.js';

export const InboundInput = Type.Object(
  {
    channel: Type.Enum([...CHANNELS]),
    from: Type.Object(
      {
        phone: Type.Optional(Type.String({ maxLength: 40 })),
        email: Type.Optional(Type.String({ maxLength: 254 })),
        wechatOpenId: Type.Optional(Type.String({ maxLength: 128 })),
        appUserId: Type.Optional(Type.String({ maxLength: 128 })),
      },
      { additionalProperties: false, minProperties: 1, maxProperties: 1 },
    ),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);
export type InboundInput = Static<typeof InboundInput>;

const FROM_KIND: Record<keyof InboundInput['from'], IdentityKind> = { phone: 'phone', email: 'email', wechatOpenId: 'wechat_open_id', appUserId: 'app_user_id' };

export interface InboundReply {
  channel: Channel;
  text: string;
}

export interface InboundOutcome {
  customerId: string | null;
  handledAs: 'opt_out' | 'recorded' | 'unknown_sender';
  replies: InboundReply[];
}

/** Finds the customer behind a phone, email, openid or app id through its keyed hash, never by decrypting. */
export async function resolveSender(db: Db, vault: PiiVault, from: InboundInput['from']): Promise<Result<string | null>> {
  const [field, raw] = Object.entries(from)[0] as [keyof InboundInput['from'], string];
  const kind = FROM_KIND[field];
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

/**
 * A message from a debtor. Opt-out words are honoured here, before anything else, on every channel.
 * Everything else is recorded on the customer's timeline for the assistant to answer.
 */
export async function handleInbound(deps: { db: Db; vault: PiiVault; clock: Clock }, input: InboundInput, actor: string): Promise<Result<InboundOutcome>> {
  const sender = await resolveSender(deps.db, deps.vault, input.from);
  if (!sender.ok) return sender;
  const customerId = sender.value;
  // Nothing about any debt is said to a sender we cannot identify.
  if (!customerId) return ok({ customerId: null, handledAs: 'unknown_sender', replies: [] });
  const now = deps.clock.now();
  await deps.db
    .insertInto('interaction_events')
    .values({ customer_id: customerId, kind: 'message.inbound', channel: input.channel, occurred_at: now, payload: JSON.stringify({ text: input.text }), created_at: now })
    .execute();
  if (isOptOutKeyword(input.text)) {
    const result = await optOut(deps.db, now, { customerId, channel: input.channel, source: `inbound:${input.channel}`, actor });
    return ok({ customerId, handledAs: 'opt_out', replies: result.acknowledgement ? [{ channel: input.channel, text: result.acknowledgement }] : [] });
  }
  return ok({ customerId, handledAs: 'recorded', replies: [] });
}
