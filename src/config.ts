import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { schemaErrors } from './core/validate.js';
import { validateProvidersConfig } from './delivery/providers/registry.js';

/**
 * One schema for all configuration. Sources, later winning: defaults, a JSON file named by
 * RECOUP_CONFIG, environment variables, then explicit overrides (CLI flags, tests).
 */
export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
    host: Type.String({ default: '127.0.0.1' }),
    /** The address providers and debtors reach this server at; webhook signatures are computed over it. */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    dataDir: Type.String({ default: './.recoup' }),
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    adminKey: Type.Optional(Type.String({ minLength: 16 })),
    /** 32 bytes, base64: encrypts PII at rest and keys its lookup hashes. Generated into dataDir when absent. */
    secretKey: Type.Optional(Type.String({ minLength: 44 })),
    /** After a key rotation: the keys that encrypted PII before, newest first. They only decrypt (see src/compliance/key-rotation.ts). */
    previousSecretKeys: Type.Array(Type.String({ minLength: 44 }), { default: [] }),
    /** Keys the identities' lookup hashes; defaults to the oldest key (the last previous one, else secretKey), so a rotation keeps lookups. */
    lookupSecretKey: Type.Optional(Type.String({ minLength: 44 })),
    /** Personal data of customers whose debts are all closed is purged after this long without activity; the audit log is never purged. */
    retention: Type.Object(
      {
        // Six months is at most 184 days: interaction logs must be kept at least that long (COMPLIANCE.md).
        personalDataDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 184 }),
        runEveryHours: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 }),
        batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
      },
      { default: {} },
    ),
    clock: Type.Object(
      {
        mode: Type.Enum(['real', 'virtual'], { default: 'real' }),
        start: Type.Optional(Type.String({ format: 'date-time' })),
      },
      { default: {} },
    ),
    stages: Type.Object(
      {
        preDueDays: Type.Integer({ minimum: 0, maximum: 60, default: 7 }),
        m2FromDay: Type.Integer({ minimum: 2, default: 31 }),
        m3FromDay: Type.Integer({ minimum: 3, default: 61 }),
        writeOffFromDay: Type.Integer({ minimum: 4, default: 180 }),
      },
      { default: {} },
    ),
    /** How often, on the real clock, stages are recomputed. The virtual clock jumps to each change. */
    stageRefreshMinutes: Type.Integer({ minimum: 1, default: 15 }),
    logLevel: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
    demo: Type.Boolean({ default: false }),
    runWorkers: Type.Boolean({ default: true }),
    /** The collection policy (YAML or JSON) and its template catalogue; the shipped demo policy when absent. */
    policyFile: Type.Optional(Type.String({ minLength: 1 })),
    templatesFile: Type.Optional(Type.String({ minLength: 1 })),
    /** The optional language-model writer (src/messaging/model-writer.ts): an OpenAI-compatible chat-completions API. Off when absent. */
    messageWriter: Type.Optional(
      Type.Object(
        { url: Type.String({ pattern: '^https?://' }), model: Type.String({ minLength: 1 }), apiKey: Type.Optional(Type.String({ minLength: 1 })) },
        { additionalProperties: false },
      ),
    ),
    /** Delivery workers: a claim not finished within the lease is taken back (the worker is presumed dead). */
    delivery: Type.Object(
      {
        leaseSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 120 }),
        batchSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 200 }),
        concurrency: Type.Integer({ minimum: 1, maximum: 1000, default: 16 }),
        pollMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }),
      },
      { default: {} },
    ),
    /**
     * Planning on PostgreSQL: a large run splits the open cases into this many parts, each planned
     * in a thread of its own (src/delivery/planning-threads.ts), at most one per core; 1 plans in the
     * process's main thread alone. PGlite always plans in one.
     */
    planner: Type.Object({ threads: Type.Integer({ minimum: 1, maximum: 16, default: 2 }) }, { default: {} }),
    /** Decisioning models fitted from recorded outcomes (`recoup train` and the scheduled retraining). */
    training: Type.Object(
      {
        /** A contact counts as answered when a payment follows within this many days. */
        labelDays: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
        /** Fewer outcomes than this is refused: a model fitted on a handful of rows only memorises them. */
        minRows: Type.Integer({ minimum: 50, maximum: 1_000_000, default: 200 }),
        /** The newest outcomes are kept when there are more, so a fit stays within seconds. */
        maxRows: Type.Integer({ minimum: 100, maximum: 5_000_000, default: 200_000 }),
        /** Seeds the stratified hold-out split and the boosting's own validation split. */
        seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 42 }),
        /** How often the work loop refits every model kind; 0 turns scheduled retraining off. */
        retrainHours: Type.Number({ minimum: 0, maximum: 24 * 365, default: 24 }),
      },
      { default: {} },
    ),
    /**
     * Who to remind and how: `ai` chooses among the channels the strategy allows by expected value,
     * learning from outcomes, with a hashed control group on the baseline; `baseline` always takes the
     * first allowed channel in escalation order. Costs are decimal amounts in the debtor's currency.
     */
    decisioning: Type.Object(
      {
        mode: Type.Enum(['ai', 'baseline'], { default: 'ai' }),
        experiment: Type.String({ minLength: 1, maxLength: 64, default: 'recoup-1' }),
        controlRate: Type.Number({ minimum: 0, maximum: 1, default: 0.05 }),
        outcomeWindowDays: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
        /** `learn`: the part of the local day a reminder goes out in is learnt too; `earliest`: as soon as the strategy allows. */
        sendHour: Type.Enum(['learn', 'earliest'], { default: 'learn' }),
        channelCost: Type.Optional(
          Type.Object(
            Object.fromEntries(['sms', 'email', 'voice', 'push', 'wechat', 'app'].map((channel) => [channel, Type.Optional(Type.String({ pattern: '^\\d{1,6}(\\.\\d{1,4})?$' }))])),
            { additionalProperties: false },
          ),
        ),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Provider per channel, e.g. { "sms": { "provider": "twilio", ... } }; sandbox where absent. Checked in full below. */
    providers: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
    /** The assistant that answers debtors (src/conversation): sessions, verification and its offers. */
    assistant: Type.Object(
      {
        /** A conversation idle this long starts a new flow; its history is kept. */
        idleMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 30 }),
        /** How long a sender verified by ID digits and birth date (or a signed link) stays verified. */
        verificationHours: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 }),
        /** Wrong verification answers before the sender is locked out for verificationHours. */
        maxVerificationFailures: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
        /** Reminders wait this long after a debtor says they already paid, while the payment is reconciled. */
        alreadyPaidPauseDays: Type.Integer({ minimum: 1, maximum: 30, default: 5 }),
        /** Terms of the instalment plans offered (decimal strings, e.g. "0.12" is 12% a year; the fee is a share of the balance). */
        instalments: Type.Object(
          {
            annualRate: Type.String({ pattern: '^(0|[1-9]\\d?)(\\.\\d{1,6})?$', default: '0.12' }),
            feeRate: Type.String({ pattern: '^0(\\.\\d{1,6})?$', default: '0.01' }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** The payment page a pay link opens, with ?token=…; defaults to publicUrl + /pay. */
        payUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
      },
      { default: {}, additionalProperties: false },
    ),
    /** The content scanner: extra word-library files (the JSON shape of data/compliance/*.json), added to the shipped one. */
    compliance: Type.Object({ ruleFiles: Type.Array(Type.String({ minLength: 1 }), { default: [] }) }, { default: {}, additionalProperties: false }),
    /** The voice call's DTMF menu: key 0 dials this number (E.164); without it an agent calls back. */
    voice: Type.Optional(
      Type.Object({ agentNumber: Type.Optional(Type.String({ pattern: '^\\+[1-9]\\d{6,14}$' })) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type StageConfig = Config['stages'];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ConfigOverrides = DeepPartial<Config>;

function fromEnvironment(env: NodeJS.ProcessEnv): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (env.PORT !== undefined) out.port = Number(env.PORT);
  if (env.HOST) out.host = env.HOST;
  if (env.RECOUP_PUBLIC_URL) out.publicUrl = env.RECOUP_PUBLIC_URL;
  if (env.RECOUP_POLICY) out.policyFile = env.RECOUP_POLICY;
  if (env.RECOUP_DATA_DIR) out.dataDir = env.RECOUP_DATA_DIR;
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL;
  if (env.RECOUP_ADMIN_KEY) out.adminKey = env.RECOUP_ADMIN_KEY;
  if (env.RECOUP_SECRET_KEY) out.secretKey = env.RECOUP_SECRET_KEY;
  if (env.RECOUP_PREVIOUS_SECRET_KEYS) out.previousSecretKeys = env.RECOUP_PREVIOUS_SECRET_KEYS.split(',').map((k) => k.trim()).filter(Boolean);
  if (env.RECOUP_LOOKUP_SECRET_KEY) out.lookupSecretKey = env.RECOUP_LOOKUP_SECRET_KEY;
  if (env.RECOUP_LOG_LEVEL) out.logLevel = env.RECOUP_LOG_LEVEL as Config['logLevel'];
  if (env.RECOUP_CLOCK || env.RECOUP_CLOCK_START) {
    out.clock = {};
    if (env.RECOUP_CLOCK) out.clock.mode = env.RECOUP_CLOCK as Config['clock']['mode'];
    if (env.RECOUP_CLOCK_START) out.clock.start = env.RECOUP_CLOCK_START;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? merge(existing, value) : value;
  }
  return out;
}

export class ConfigError extends Error {}

/** Builds and validates the config; throws ConfigError naming each bad setting, so boot stops at once. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  let fileConfig: Record<string, unknown> = {};
  if (env.RECOUP_CONFIG) {
    try {
      fileConfig = JSON.parse(readFileSync(env.RECOUP_CONFIG, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`RECOUP_CONFIG ${env.RECOUP_CONFIG}: ${(error as Error).message}`);
    }
  }
  const raw = merge(merge(fileConfig, fromEnvironment(env) as Record<string, unknown>), overrides as Record<string, unknown>);
  const withDefaults = Value.Default(ConfigSchema, raw);
  const errors = schemaErrors(ConfigSchema, withDefaults);
  if (errors.length > 0) {
    throw new ConfigError(`invalid configuration: ${errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`);
  }
  const config = withDefaults as Config;
  const { preDueDays: _, ...bounds } = config.stages;
  if (!(bounds.m2FromDay < bounds.m3FromDay && bounds.m3FromDay < bounds.writeOffFromDay)) {
    throw new ConfigError('invalid configuration: stages must satisfy m2FromDay < m3FromDay < writeOffFromDay');
  }
  config.publicUrl = (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/$/, '');
  const providerErrors = validateProvidersConfig(config.providers);
  if (providerErrors.length > 0) throw new ConfigError(`invalid configuration: ${providerErrors.join('; ')}`);
  if (config.clock.start && Number.isNaN(Date.parse(config.clock.start))) {
    throw new ConfigError(`invalid configuration: clock.start ${config.clock.start} is not an ISO 8601 instant`);
  }
  return config;
}
