import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { DueWork } from '../core/work-loop.js';
import type { Db } from '../db/database.js';
import type { Channel, IdentityKind } from '../db/schema.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import { redactContactDetails } from '../compliance/masking.js';
import { type AttemptRow, claimDueAttempts, markBlocked, markCancelled, markFailed, markRetry, markSent, nextAttemptDueAt, saveWrittenContent } from './attempt-queue.js';
import { CONTACT_ATTEMPT_JOB, type JobKind, retryDelayMs } from './job-catalog.js';
import { type ChannelProvider, isRetryable, type MessageContent, type Recipient, type SendResult } from './provider.js';
import { anyOf } from '../db/any-of.js';
import { checkMessageContent, type ContentScanner, shippedScanner } from '../compliance/scanner/index.js';
import { loadOwedNow, type OwedNow, type SendWordingDeps, wordForSending } from './send-content.js';

export interface DeliveryDeps extends SendWordingDeps {
  db: Db;
  clock: Clock;
  vault: PiiVault;
  providerFor(channel: Channel): ChannelProvider;
  logger: { warn(details: object, message: string): void };
  owner?: string;
  batchSize?: number;
  concurrency?: number;
  sendTimeoutMs?: number;
  job?: JobKind;
  /** How often to poll for due attempts on the real clock. */
  pollMs?: number;
  random?: () => number;
  /** The compliance gate's scanner (app.ts builds it with the configured rule files); the shipped library when absent. */
  scanner?: ContentScanner;
}

const RECIPIENT_FIELD: Record<IdentityKind, keyof Recipient | undefined> = {
  phone: 'phone',
  email: 'email',
  wechat_open_id: 'wechatOpenId',
  app_user_id: 'appUserId',
  id_number: undefined,
};

/** Decrypts contact identities only at the moment of sending, only for the customers being sent to. */
async function loadRecipients(db: Db, vault: PiiVault, customerIds: string[]): Promise<Map<string, Recipient>> {
  const rows = await db.selectFrom('customer_identities').select(['customer_id', 'kind', 'ciphertext']).where(anyOf('customer_id', customerIds, 'uuid')).execute();
  const recipients = new Map<string, Recipient>();
  for (const row of rows) {
    const field = RECIPIENT_FIELD[row.kind];
    if (!field) continue;
    const recipient = recipients.get(row.customer_id) ?? {};
    recipient[field] = vault.decrypt(row.ciphertext);
    recipients.set(row.customer_id, recipient);
  }
  return recipients;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * The delivery worker: claims due attempts, sends each through its channel's provider, and records
 * the outcome under its lease. Retryable failures come back later with exponential backoff and
 * jitter; the rest, and those out of attempts, fail with the reason kept.
 */
export function createDeliveryWork(deps: DeliveryDeps): DueWork {
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const job = deps.job ?? CONTACT_ATTEMPT_JOB;
  const batchSize = deps.batchSize ?? 200;
  const scanner = deps.scanner ?? shippedScanner();

  /**
   * The words to send and, when they were rendered just now from the template, the same words to
   * store with the outcome. A model's words are stored before sending instead, so that a retry sends
   * them again rather than asking the model anew. Undefined when the lease was lost meanwhile, or when
   * nothing is owed any more (the attempt is then cancelled).
   */
  async function wordsToSend(attempt: AttemptRow, owed: ReadonlyMap<string, OwedNow>): Promise<{ content: Record<string, unknown>; store?: Record<string, unknown> } | undefined> {
    const wording = await wordForSending(deps, attempt, deps.clock.now(), owed);
    if (wording.worded === 'nothing-owed') {
      await markCancelled(deps.db, attempt, owner, deps.clock.now(), 'paid before it was sent');
      return undefined;
    }
    if (wording.worded === 'stored') return { content: wording.content };
    if (wording.worded === 'template') return { content: wording.content, store: wording.content };
    return (await saveWrittenContent(deps.db, attempt, owner, deps.clock.now(), wording.content)) ? { content: wording.content } : undefined;
  }

  async function deliver(claimed: AttemptRow, recipient: Recipient, owed: ReadonlyMap<string, OwedNow>): Promise<void> {
    let words: Awaited<ReturnType<typeof wordsToSend>>;
    try {
      words = await wordsToSend(claimed, owed);
    } catch (error) {
      // A draft that cannot be worded (a damaged row) would fail the same way on every retry.
      await markFailed(deps.db, claimed, owner, deps.clock.now(), `the message could not be worded: ${(error as Error).message}`);
      return;
    }
    if (!words) return;
    const attempt = { ...claimed, content: words.content };
    // The compliance gate: checked here, at the last moment, so that no path to a provider (planner,
    // flow, agent, language model, a row written by hand) skips it. A block is final, not retried.
    const verdict = checkMessageContent(scanner, attempt.channel, attempt.content);
    if (!verdict.allowed) {
      const blockedBy = verdict.blockedBy!;
      await markBlocked(deps.db, attempt, owner, deps.clock.now(), { ...blockedBy, violations: verdict.violations }, words.store);
      return;
    }
    const provider = deps.providerFor(attempt.channel);
    let result: SendResult;
    try {
      result = await provider.send(
        { attemptId: attempt.id, idempotencyKey: attempt.idempotency_key, channel: attempt.channel, customerId: attempt.customer_id, locale: String(attempt.content.locale ?? 'en'), to: recipient, content: attempt.content as unknown as MessageContent },
        AbortSignal.timeout(deps.sendTimeoutMs ?? 30_000),
      );
    } catch (error) {
      // A provider that throws has a bug, but the message must not be lost for it: retry it.
      result = { ok: false, kind: 'bad_response', reason: `provider ${provider.id} threw: ${(error as Error).message}` };
    }
    const now = deps.clock.now();
    if (result.ok) {
      await markSent(deps.db, attempt, owner, now, provider.id, result.providerMessageId, words.store);
      return;
    }
    // Gateways quote the recipient back in their errors; the reason is stored and shown, so mask it.
    const reason = `${result.kind}: ${redactContactDetails(result.reason)}`;
    if (isRetryable(result.kind) && attempt.attempt_count < Math.min(attempt.max_attempts, job.retry.maxAttempts)) {
      const delay = Math.max(result.retryAfterMs ?? 0, retryDelayMs(job.retry, attempt.attempt_count, deps.random));
      await markRetry(deps.db, attempt, owner, now, new Date(now.getTime() + delay), reason);
    } else {
      await markFailed(deps.db, attempt, owner, now, reason, words.store);
      deps.logger.warn({ attemptId: attempt.id, channel: attempt.channel, kind: result.kind }, 'contact attempt failed');
    }
  }

  return {
    name: 'delivery',
    intervalMs: deps.pollMs ?? 1000,
    nextDueAt: (now) => nextAttemptDueAt(deps.db, now),
    async runDue(now) {
      for (;;) {
        const claimed = await claimDueAttempts(deps.db, now, owner, batchSize, job.leaseMs);
        if (claimed.length === 0) return;
        const [recipients, owed] = await Promise.all([loadRecipients(deps.db, deps.vault, [...new Set(claimed.map((a) => a.customer_id))]), loadOwedNow(deps.db, claimed)]);
        await inParallel(claimed, deps.concurrency ?? 16, (attempt) => deliver(attempt, recipients.get(attempt.customer_id) ?? {}, owed));
        if (claimed.length < batchSize) return;
      }
    },
  };
}
