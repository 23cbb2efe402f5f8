import Type, { type Static } from 'typebox';
import { Amount } from '../receivables/receivable-schema.js';

const ExternalId = Type.String({ minLength: 1, maxLength: 200 });
const Instant = Type.String({ maxLength: 40, description: 'ISO 8601: 2026-12-01 (end of that day in the debtor zone) or 2026-12-01T09:00:00+08:00' });

export const DisputeInput = Type.Object(
  {
    customerExternalId: ExternalId,
    receivableExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The one debt disputed; absent means all of them' })),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Makes the request idempotent' })),
  },
  { additionalProperties: false },
);
export type DisputeInput = Static<typeof DisputeInput>;

export const ResolveDisputeInput = Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export type ResolveDisputeInput = Static<typeof ResolveDisputeInput>;

export const PROMISE_SOURCES = ['api', 'assistant', 'agent'] as const;

export const PromiseInput = Type.Object(
  {
    customerExternalId: ExternalId,
    receivableExternalIds: Type.Optional(
      Type.Array(ExternalId, { minItems: 1, maxItems: 100, description: 'The debts promised; absent means every debt owed in this currency' }),
    ),
    amount: Amount,
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    promisedFor: Type.String({ maxLength: 40, description: 'ISO 8601; the debtor promises to pay by then. A bare date means by the end of that day in their zone' }),
    source: Type.Optional(Type.Enum([...PROMISE_SOURCES], { default: 'api' })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Makes the request idempotent' })),
  },
  { additionalProperties: false },
);
export type PromiseInput = Static<typeof PromiseInput>;

export const ConversationInput = Type.Object(
  {
    customerExternalId: ExternalId,
    receivableExternalIds: Type.Optional(Type.Array(ExternalId, { minItems: 1, maxItems: 100, description: 'The debts talked about; absent means all of them' })),
    initiatedBy: Type.Enum(['collector', 'debtor'], { description: 'Regulation F pauses calls only after conversations the collector placed' }),
    occurredAt: Type.Optional(Instant),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Makes the request idempotent' })),
  },
  { additionalProperties: false },
);
export type ConversationInput = Static<typeof ConversationInput>;

export const CeaseInput = Type.Object(
  { source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'How the request came in, e.g. letter, email, call' })) },
  { additionalProperties: false },
);
export type CeaseInput = Static<typeof CeaseInput>;
