import Type, { type Static } from 'typebox';

const ExternalId = Type.String({ minLength: 1, maxLength: 200 });
/** A decimal in major units: "1280.50" or 1280.5. JSON numbers are kept as their literal text on parse. */
export const Amount = Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'Decimal in major units, e.g. "1280.50"' });
const Instant = Type.String({ maxLength: 40, description: 'ISO 8601: 2026-12-01 (end of that day in the debtor zone) or 2026-12-01T09:00:00+08:00' });

export const RECEIVABLE_KINDS = ['order', 'bill', 'instalment'] as const;
export const RECEIVABLE_STATUSES = ['open', 'paid', 'cancelled', 'written_off'] as const;

export const ReceivableInput = Type.Object(
  {
    externalId: ExternalId,
    customerExternalId: ExternalId,
    kind: Type.Enum([...RECEIVABLE_KINDS]),
    amount: Amount,
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    dueAt: Instant,
    status: Type.Optional(Type.Enum([...RECEIVABLE_STATUSES], { default: 'open' })),
  },
  { additionalProperties: false },
);
export type ReceivableInput = Static<typeof ReceivableInput>;

export const PaymentInput = Type.Object(
  {
    externalId: ExternalId,
    receivableExternalId: ExternalId,
    amount: Amount,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Must match the receivable when given' })),
    paidAt: Instant,
  },
  { additionalProperties: false },
);
export type PaymentInput = Static<typeof PaymentInput>;
