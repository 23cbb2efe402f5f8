import Type, { type Static } from 'typebox';

export const CHANNELS = ['sms', 'email', 'voice', 'push', 'wechat', 'app'] as const;
export const LOCALES = ['zh-CN', 'en'] as const;

const ExternalId = Type.String({ minLength: 1, maxLength: 200, description: 'Your system\'s id; upserts match on it' });

export const IdentitiesInput = Type.Object(
  {
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'International format, e.g. +8613800138000' })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    wechatOpenId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    appUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    idNumber: Type.Optional(Type.String({ minLength: 4, maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const ConsentsInput = Type.Object(
  Object.fromEntries(CHANNELS.map((c) => [c, Type.Optional(Type.Boolean())])) as Record<(typeof CHANNELS)[number], ReturnType<typeof Type.Optional<ReturnType<typeof Type.Boolean>>>>,
  { additionalProperties: false, description: 'true: consent given; false: withdrawn' },
);

export const CustomerInput = Type.Object(
  {
    externalId: ExternalId,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locale: Type.Optional(Type.Enum([...LOCALES], { description: 'Defaults to en on create' })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai; omitted means unknown' })),
    identities: Type.Optional(IdentitiesInput),
    consents: Type.Optional(ConsentsInput),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Merged into the stored attributes' })),
  },
  { additionalProperties: false },
);
export type CustomerInput = Static<typeof CustomerInput>;
