import Type, { type Static } from 'typebox';
import { schemaErrors } from '../../core/validate.js';
import type { Channel } from '../../db/schema.js';
import type { ChannelProvider } from '../provider.js';
import { createFcmProvider } from './fcm-provider.js';
import { ALL_CHANNELS, createSandboxProvider, type SandboxProvider } from './sandbox-provider.js';
import { createSmtpProvider } from './smtp-provider.js';
import { createTwilioProvider } from './twilio-provider.js';
import { createWebhookProvider } from './webhook-provider.js';
import { createWeChatProvider } from './wechat-provider.js';

const Url = Type.String({ pattern: '^https?://' });
const Timeout = Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000 }));

const SandboxSchema = Type.Object({ provider: Type.Literal('sandbox') }, { additionalProperties: false });
const WebhookSchema = Type.Object(
  { provider: Type.Literal('webhook'), url: Url, secret: Type.String({ minLength: 16 }), timeoutMs: Timeout },
  { additionalProperties: false },
);
const SmtpSchema = Type.Object(
  {
    provider: Type.Literal('smtp'),
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    secure: Type.Optional(Type.Boolean()),
    requireTLS: Type.Optional(Type.Boolean()),
    auth: Type.Optional(Type.Object({ user: Type.String(), pass: Type.String() }, { additionalProperties: false })),
    from: Type.String({ minLength: 3 }),
    replyTo: Type.Optional(Type.String()),
    messageIdDomain: Type.Optional(Type.String()),
    timeoutMs: Timeout,
  },
  { additionalProperties: false },
);
const TwilioSchema = Type.Object(
  {
    provider: Type.Literal('twilio'),
    baseUrl: Type.Optional(Url),
    accountSid: Type.String({ minLength: 1 }),
    authToken: Type.String({ minLength: 1 }),
    from: Type.Optional(Type.String()),
    messagingServiceSid: Type.Optional(Type.String()),
    voiceFrom: Type.Optional(Type.String()),
    statusCallbackUrl: Type.Optional(Url),
    timeoutMs: Timeout,
  },
  { additionalProperties: false },
);
const WeChatSchema = Type.Object(
  {
    provider: Type.Literal('wechat'),
    baseUrl: Type.Optional(Url),
    appId: Type.String({ minLength: 1 }),
    appSecret: Type.String({ minLength: 1 }),
    /** The server-URL token set in WeChat's console: signs what WeChat pushes to /v1/webhooks/wechat. */
    token: Type.Optional(Type.String({ minLength: 1 })),
    tokenMarginSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    timeoutMs: Timeout,
  },
  { additionalProperties: false },
);
const FcmSchema = Type.Object(
  {
    provider: Type.Literal('fcm'),
    baseUrl: Type.Optional(Url),
    projectId: Type.String({ minLength: 1 }),
    serviceAccount: Type.Object(
      { client_email: Type.String({ minLength: 1 }), private_key: Type.String({ minLength: 1 }), token_uri: Url },
      { additionalProperties: true },
    ),
    timeoutMs: Timeout,
  },
  { additionalProperties: false },
);

/** Which provider ids may serve which channel (mirrors the unions below), and the schema each id's options must satisfy. */
const PROVIDER_SCHEMAS = {
  sandbox: SandboxSchema,
  webhook: WebhookSchema,
  smtp: SmtpSchema,
  twilio: TwilioSchema,
  wechat: WeChatSchema,
  fcm: FcmSchema,
} as const;
type ProviderId = keyof typeof PROVIDER_SCHEMAS;

const ALLOWED: Record<Channel, readonly ProviderId[]> = {
  sms: ['sandbox', 'webhook', 'twilio'],
  voice: ['sandbox', 'webhook', 'twilio'],
  email: ['sandbox', 'webhook', 'smtp'],
  wechat: ['sandbox', 'webhook', 'wechat'],
  push: ['sandbox', 'webhook', 'fcm'],
  app: ['sandbox', 'webhook'],
};

/** The `providers` section of the config file; merge into ConfigSchema as `providers`. */
export const ProvidersConfigSchema = Type.Object(
  {
    sms: Type.Optional(Type.Union([SandboxSchema, WebhookSchema, TwilioSchema])),
    voice: Type.Optional(Type.Union([SandboxSchema, WebhookSchema, TwilioSchema])),
    email: Type.Optional(Type.Union([SandboxSchema, WebhookSchema, SmtpSchema])),
    wechat: Type.Optional(Type.Union([SandboxSchema, WebhookSchema, WeChatSchema])),
    push: Type.Optional(Type.Union([SandboxSchema, WebhookSchema, FcmSchema])),
    app: Type.Optional(Type.Union([SandboxSchema, WebhookSchema])),
  },
  { additionalProperties: false, default: {} },
);
export type ProvidersConfig = Static<typeof ProvidersConfigSchema>;
type AnyProviderConfig = Static<(typeof PROVIDER_SCHEMAS)[ProviderId]>;

export interface ProviderRegistry {
  forChannel(channel: Channel): ChannelProvider;
  /** The one sandbox every defaulted channel shares, so the demo and tests read one list. */
  readonly sandbox: SandboxProvider;
}

export type RegistryResult = { ok: true; registry: ProviderRegistry } | { ok: false; errors: string[] };

/**
 * Validates channel by channel rather than against the whole union: a union error says only "matches
 * no schema", while checking the chosen provider's own schema names the missing field.
 */
export function validateProvidersConfig(config: unknown, prefix = 'providers'): string[] {
  if (config === undefined) return [];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [`${prefix} must be an object`];
  const errors: string[] = [];
  for (const [channel, entry] of Object.entries(config)) {
    const path = `${prefix}.${channel}`;
    const allowed = ALLOWED[channel as Channel] as readonly ProviderId[] | undefined;
    if (!allowed) {
      errors.push(`${path} is not a channel (one of ${ALL_CHANNELS.join(', ')})`);
      continue;
    }
    const id = typeof entry === 'object' && entry !== null ? (entry as { provider?: unknown }).provider : undefined;
    if (typeof id !== 'string' || !allowed.includes(id as ProviderId)) {
      errors.push(`${path}.provider must be one of ${allowed.join(', ')}`);
      continue;
    }
    for (const detail of schemaErrors(PROVIDER_SCHEMAS[id as ProviderId], entry)) {
      errors.push(`${path}.${detail.field} ${detail.reason}`);
    }
  }
  return errors;
}

function build(entry: AnyProviderConfig, channel: Channel, sandbox: SandboxProvider): ChannelProvider {
  switch (entry.provider) {
    case 'sandbox':
      return sandbox;
    case 'webhook':
      return createWebhookProvider({ ...entry, channels: [channel] });
    case 'smtp':
      return createSmtpProvider(entry);
    case 'twilio':
      return createTwilioProvider(entry);
    case 'wechat':
      return createWeChatProvider(entry);
    case 'fcm':
      return createFcmProvider(entry);
  }
}

export function createProviderRegistry(config: unknown, options: { sandbox?: SandboxProvider } = {}): RegistryResult {
  const errors = validateProvidersConfig(config);
  if (errors.length > 0) return { ok: false, errors };
  const entries = (config ?? {}) as Partial<Record<Channel, AnyProviderConfig>>;
  const sandbox = options.sandbox ?? createSandboxProvider();
  const providers = new Map<Channel, ChannelProvider>();
  for (const channel of ALL_CHANNELS) {
    const entry = entries[channel];
    providers.set(channel, entry ? build(entry, channel, sandbox) : sandbox);
  }
  return {
    ok: true,
    registry: {
      sandbox,
      forChannel(channel) {
        const provider = providers.get(channel);
        if (!provider) throw new Error(`no provider for channel ${channel}`);
        return provider;
      },
    },
  };
}
