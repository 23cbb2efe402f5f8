import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DestinationStream, pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { type Clock, RealClock, VirtualClock } from './core/clock.js';
import { WorkLoop } from './core/work-loop.js';
import { type Db, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createPiiVault, generateSecret, type PiiVault } from './compliance/pii-vault.js';
import { createLiveDecisioning, DEFAULT_DECISIONING } from './decisioning/live/live-decisioning.js';
import { plannerThreads } from './delivery/planning-threads.js';
import { createOutcomeWork } from './decisioning/live/outcomes.js';
import { nextStageChangeAt, refreshCases } from './receivables/cases.js';
import type { Channel } from './db/schema.js';
import { createDeliveryWork } from './delivery/delivery-work.js';
import { createPlannerWork } from './delivery/planner.js';
import { CONTACT_ATTEMPT_JOB } from './delivery/job-catalog.js';
import type { CompiledPolicy } from './strategy/index.js';
import { openPolicyStore, type PolicyStore } from './strategy/policy-store.js';
import { createLinkSigner, type LinkSigner } from './core/signed-links.js';
import { createModelWriter, createPayLinks, type PayLinks, type RenderRequest, scannerGate, shippedRenderer, writeMessage, type WrittenMessage } from './messaging/index.js';
import { createBehaviourSegments, type BehaviourSegments } from './decisioning/live/behaviour-segments.js';
import { createSendTimeProfiles, type SendTimeProfiles } from './decisioning/live/send-time-profile.js';
import { unsubscribeUrlFor } from './conversation/unsubscribe.js';
import type { Understand } from './conversation/flow-context.js';
import { parse as parseMessage } from './conversation/nlu/index.js';
import type { ChannelProvider } from './delivery/provider.js';
import { createProviderRegistry, type ProviderRegistry } from './delivery/providers/registry.js';
import { createRetentionWork } from './compliance/retention-work.js';
import { type ContentScanner, createScanner } from './compliance/scanner/index.js';
import { createModelStore, type ModelStore } from './decisioning/model-store.js';
import { createRetrainWork, retrainAll } from './decisioning/training/index.js';
import type { Job } from './jobs/jobs.js';
import { createKpiRollupWork } from './analytics/kpi-rollup.js';

/** Everything a request handler, a worker or a CLI command needs, built once and passed down. */
export interface App {
  config: Config;
  db: Db;
  dbKind: 'pglite' | 'postgres';
  clock: Clock;
  vault: PiiVault;
  work: WorkLoop;
  /** The configured channel providers; `providers.sandbox` records what the sandbox channels sent. */
  providers: ProviderRegistry;
  /** Signs the links a debtor opens without an account (unsubscribe). */
  links: LinkSigner;
  /** The short signed links in reminders that open the debtor's chat-and-pay page (/p/<token>). */
  payLinks: PayLinks;
  /** The best hour of the week to reach each person, from when they answered before. */
  sendTimes: SendTimeProfiles;
  /** Behaviour segments ("needs a call", "self-cures" …) fitted on the portfolio, and the one each person is in. */
  segments: BehaviourSegments;
  /** Refits every model kind now (as the scheduled retraining does), reporting to `job`. */
  retrain(actor: string, job: Job): Promise<void>;
  /** The content scanner (shipped word library plus config's extra rule files): the gate every outbound message passes. */
  scanner: ContentScanner;
  /** The collection policy in force at the moment of reading (a getter over `policies.current()`). */
  readonly policy: CompiledPolicy;
  /** Holds the policy in force: its versions, activation, reload from file, diff and dry run. */
  policies: PolicyStore;
  /** The champion decisioning model of each kind, for scoring; refreshed after training and before planning. */
  models: ModelStore;
  /** The assistant's understanding of a message (src/conversation/nlu). */
  understand: Understand;
  logger: Logger;
  close(): Promise<void>;
}

// Never log what a debtor could be identified by, even at debug level.
export const LOG_REDACT = ['req.headers.authorization', '*.phone', '*.email', '*.idNumber', '*.wechatOpenId', '*.appUserId', '*.name'];

/** `destination` defaults to stdout; tests pass a buffer to read back what would have been logged. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The key that encrypts PII. Configured, it is used as is. On embedded storage it may be generated
 * once into the data directory; on a shared PostgreSQL every process must be given the same key.
 */
function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) throw new Error('RECOUP_SECRET_KEY is required with DATABASE_URL (32 random bytes, base64), so that every process can read the PII the others wrote');
  if (config.dataDir === 'memory://') return generateSecret();
  const dir = resolve(config.dataDir);
  const file = join(dir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${generateSecret()}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The current key encrypts; previous keys (after a rotation) only decrypt. Lookup hashes stay keyed by
 * the oldest key unless lookupSecretKey says otherwise, so that a rotation does not orphan them.
 */
export function vaultFor(config: Pick<Config, 'previousSecretKeys' | 'lookupSecretKey'>, secret: string): PiiVault {
  const previous = config.previousSecretKeys ?? [];
  return createPiiVault({ current: secret, previous, hashSecret: config.lookupSecretKey ?? previous.at(-1) ?? secret });
}

export function createClock(config: Config): Clock {
  if (config.clock.mode === 'real') return new RealClock();
  return new VirtualClock(config.clock.start ? new Date(config.clock.start) : new Date());
}

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  /** Overrides the configured channel providers (tests plug in their own peers here). */
  providerFor?: (channel: Channel) => ChannelProvider;
  /** Names this process's delivery worker in leases; defaults to host, pid and a random suffix. */
  workerId?: string;
  /** Replaces the NLU (tests that script what each message means). */
  understand?: Understand;
}

/** With a language model configured, reminders are worded by it at send time, within the facts and the gate. */
function draftWriter(config: Config, scanner: ContentScanner): ((request: RenderRequest) => Promise<WrittenMessage>) | undefined {
  if (!config.messageWriter) return undefined;
  const deps = { renderer: shippedRenderer(), gate: scannerGate(scanner), writer: createModelWriter(config.messageWriter) };
  return (request) => writeMessage(deps, request);
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  // Compiled once, before anything is opened: a broken extra rule file stops boot with its name.
  const scanner = createScanner({ extraRuleFiles: config.compliance.ruleFiles });
  const secret = resolveSecretKey(config);
  const vault = vaultFor(config, secret);
  const links = createLinkSigner(secret);
  const payLinks = createPayLinks(config.publicUrl!, secret);
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed; it will be replaced'),
  });
  const clock = options.clock ?? createClock(config);
  let policies: PolicyStore;
  const models = createModelStore({ db: handle.db, logger });
  try {
    await migrateToLatest(handle.db as never);
    policies = await openPolicyStore({ db: handle.db, clock, logger, policyFile: config.policyFile, templatesFile: config.templatesFile });
    await models.refresh();
  } catch (error) {
    await handle.close();
    throw error;
  }
  const work = new WorkLoop(clock, logger);
  const db = handle.db;
  work.register({
    name: 'case-stages',
    intervalMs: config.stageRefreshMinutes * 60_000,
    nextDueAt: (now) => nextStageChangeAt(db, now, config.stages),
    runDue: async (now) => {
      await db.transaction().execute((trx) => refreshCases(trx, now, config.stages));
    },
  });
  const registry = createProviderRegistry(config.providers);
  // loadConfig validated the same section, so a failure here is a bug, not bad input.
  if (!registry.ok) throw new Error(`providers: ${registry.errors.join('; ')}`);
  const providers = registry.registry;
  const providerFor = options.providerFor ?? ((channel: Channel) => providers.forChannel(channel));
  const decisioning = createLiveDecisioning({
    ...DEFAULT_DECISIONING,
    mode: config.decisioning.mode,
    experiment: config.decisioning.experiment,
    controlRate: config.decisioning.controlRate,
    sendHour: config.decisioning.sendHour,
    channelCost: { ...DEFAULT_DECISIONING.channelCost, ...config.decisioning.channelCost },
  });
  const planner = createPlannerWork({ db, policy: () => policies.current(), decisioning, threads: plannerThreads(config) });
  if (config.decisioning.mode === 'ai') work.register(createOutcomeWork(db, config.decisioning.outcomeWindowDays));
  // Another process on the same PostgreSQL may have activated a version: adopt it before planning.
  work.register({
    ...planner,
    runDue: async (now) => {
      await policies.refresh();
      await models.refresh();
      await planner.runDue(now);
    },
  });
  work.register(createRetentionWork({ db, logger, ...config.retention }));
  work.register(createKpiRollupWork(db));
  const delivery = config.delivery;
  work.register(
    createDeliveryWork({
      db, clock, vault, providerFor, logger, scanner, owner: options.workerId, writeDraft: draftWriter(config, scanner),
      payLinkUrl: payLinks.urlFor, unsubscribeUrl: unsubscribeUrlFor(config.publicUrl!, links),
      batchSize: delivery.batchSize, concurrency: delivery.concurrency, pollMs: delivery.pollMs,
      job: { ...CONTACT_ATTEMPT_JOB, leaseMs: delivery.leaseSeconds * 1000 },
    }),
  );
  const retrainDeps = { db, clock, logger, training: config.training, m2FromDay: config.stages.m2FromDay, intervalHours: config.training.retrainHours, afterRun: () => models.refresh() };
  if (config.training.retrainHours > 0) work.register(createRetrainWork(retrainDeps));
  return {
    config,
    db,
    dbKind: handle.kind,
    clock,
    vault,
    work,
    providers,
    get policy() {
      return policies.current();
    },
    policies,
    models,
    links,
    payLinks,
    sendTimes: createSendTimeProfiles(db, clock),
    segments: createBehaviourSegments(db, clock),
    retrain: (actor, job) => retrainAll(retrainDeps, actor, job),
    scanner,
    understand: options.understand ?? parseMessage,
    logger,
    async close() {
      await work.stop();
      await handle.close();
    },
  };
}
