import Type, { type Static } from 'typebox';

/**
 * The shape of a policy document. The schema only checks shapes; meanings (a channel that exists, an
 * hour that exists, a template in the catalogue) are checked in policy-checks.ts, so that each error
 * can say exactly what is wrong rather than "must match pattern".
 */
const Strict = { additionalProperties: false } as const;

export const WindowSchema = Type.Object(
  { start: Type.String(), end: Type.String(), wrap: Type.Optional(Type.Boolean()) },
  Strict,
);

export const ContactHoursSchema = Type.Object(
  {
    start: Type.String(),
    end: Type.String(),
    /** A start after the end crosses midnight only when this is true. */
    wrap: Type.Optional(Type.Boolean()),
    /** Per weekday (sun … sat): another window, or "closed". */
    weekdays: Type.Optional(Type.Record(Type.String(), Type.Union([WindowSchema, Type.Literal('closed')]))),
  },
  Strict,
);

const CapPair = Type.Object({ day: Type.Optional(Type.Number()), week: Type.Optional(Type.Number()) }, Strict);

export const CapsSchema = Type.Object(
  {
    person: Type.Optional(CapPair),
    receivable: Type.Optional(CapPair),
    /** Per person on one channel. */
    channel: Type.Optional(Type.Record(Type.String(), CapPair)),
  },
  Strict,
);

export const RemindersSchema = Type.Object(
  {
    /** Reminders this many local days before the due instant. */
    daysBefore: Type.Optional(Type.Array(Type.Number())),
    /** For unpaid orders with a payment timeout: this many minutes before it. */
    orderMinutesBefore: Type.Optional(Type.Array(Type.Number())),
  },
  Strict,
);

export const StageRulesSchema = Type.Object(
  {
    /** In escalation order: the first is the gentlest. */
    channels: Type.Optional(Type.Array(Type.String())),
    templates: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    /** Used when one message covers several receivables; falls back to `templates`. */
    combinedTemplates: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    minGapHours: Type.Optional(Type.Number()),
    caps: Type.Optional(CapsSchema),
    contactHours: Type.Optional(ContactHoursSchema),
    reminders: Type.Optional(RemindersSchema),
  },
  Strict,
);

const PackEntry = Type.Union([
  Type.String(),
  Type.Object(
    {
      id: Type.String(),
      /** ISO 3166 countries the pack governs; absent means every debtor. */
      jurisdictions: Type.Optional(Type.Array(Type.String())),
      options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    },
    Strict,
  ),
]);

export const CalendarEntrySchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    from: Type.String(),
    to: Type.String(),
    /** Orders whose payment timeout falls in the period get this many more minutes to pay. */
    orderTimeoutExtensionMinutes: Type.Optional(Type.Number()),
  },
  Strict,
);

/** What the assistant may grant on its own; absent means it grants no grace and hands such requests to an agent. */
export const AssistantPolicySchema = Type.Object(
  {
    grace: Type.Optional(
      Type.Object(
        {
          /** The furthest the assistant may move a payment date, in days from today. */
          maxDays: Type.Integer({ minimum: 1, maximum: 30 }),
          /** Grace periods one customer may be granted within `windowDays`. */
          maxGrants: Type.Integer({ minimum: 1, maximum: 12 }),
          windowDays: Type.Integer({ minimum: 1, maximum: 366 }),
          /** Case stages in which grace may be granted (pre_due, m1, …); absent means any. */
          stages: Type.Optional(Type.Array(Type.Enum(['pre_due', 'm1', 'm2', 'm3_plus']), { minItems: 1 })),
        },
        Strict,
      ),
    ),
  },
  Strict,
);

export const PolicySchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    version: Type.Integer({ minimum: 1 }),
    description: Type.Optional(Type.String()),
    packs: Type.Optional(Type.Array(PackEntry)),
    /** Options of Recoup's own voluntary limits (see packs/recoup-defaults.ts). */
    voluntary: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    controlGroup: Type.Optional(Type.Object({ share: Type.Number(), salt: Type.String() }, Strict)),
    defaults: Type.Optional(StageRulesSchema),
    stages: Type.Record(Type.String(), StageRulesSchema),
    segments: Type.Optional(Type.Record(Type.String(), Type.Object({ stages: Type.Record(Type.String(), StageRulesSchema) }, Strict))),
    calendar: Type.Optional(Type.Array(CalendarEntrySchema)),
    assistant: Type.Optional(AssistantPolicySchema),
  },
  Strict,
);

export type PolicyDocument = Static<typeof PolicySchema>;
export type StageRulesDoc = Static<typeof StageRulesSchema>;
export type ContactHoursDoc = Static<typeof ContactHoursSchema>;
export type CapsDoc = Static<typeof CapsSchema>;
