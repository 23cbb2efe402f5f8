import { createHash } from 'node:crypto';
import type { Channel } from '../../db/schema.js';
import type { ChannelProvider, FailureKind, OutboundMessage, SendResult } from '../provider.js';

export const ALL_CHANNELS: readonly Channel[] = ['sms', 'email', 'voice', 'push', 'wechat', 'app'];

export interface SandboxRecord {
  providerMessageId: string;
  message: OutboundMessage;
  at: Date;
}

export interface SimulatedFailure {
  kind: FailureKind;
  reason?: string;
  retryAfterMs?: number;
}

export interface SandboxOptions {
  id?: string;
  channels?: readonly Channel[];
  now?: () => Date;
  /** Decide per message whether to fail it; used by tests and the demo's simulated debtor. */
  failWith?: (message: OutboundMessage) => SimulatedFailure | undefined;
}

export interface SandboxProvider extends ChannelProvider {
  /** Every accepted message, in order; a repeated idempotency key is recorded again so tests can see duplicates. */
  readonly sent: readonly SandboxRecord[];
  /** Every failed send, in order. */
  readonly failed: ReadonlyArray<{ message: OutboundMessage; kind: FailureKind }>;
  /** Fail the next `count` sends with `kind`, before `failWith` is consulted. */
  failNext(kind: FailureKind, count?: number, retryAfterMs?: number): void;
  clear(): void;
}

export function createSandboxProvider(options: SandboxOptions = {}): SandboxProvider {
  const sent: SandboxRecord[] = [];
  const failed: Array<{ message: OutboundMessage; kind: FailureKind }> = [];
  const queued: SimulatedFailure[] = [];
  const now = options.now ?? (() => new Date());

  const pickFailure = (message: OutboundMessage, signal: AbortSignal): SimulatedFailure | undefined => {
    if (signal.aborted) return { kind: 'timeout', reason: 'aborted by caller' };
    return queued.shift() ?? options.failWith?.(message);
  };

  return {
    id: options.id ?? 'sandbox',
    channels: options.channels ?? ALL_CHANNELS,
    sent,
    failed,
    async send(message, signal): Promise<SendResult> {
      const simulated = pickFailure(message, signal);
      if (simulated) {
        failed.push({ message, kind: simulated.kind });
        const result: SendResult = { ok: false, kind: simulated.kind, reason: simulated.reason ?? `simulated ${simulated.kind}` };
        return simulated.retryAfterMs === undefined ? result : { ...result, retryAfterMs: simulated.retryAfterMs };
      }
      // Derived from the key, like a gateway that dedupes: the same logical message keeps one id.
      const providerMessageId = `sandbox-${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 20)}`;
      sent.push({ providerMessageId, message, at: now() });
      return { ok: true, providerMessageId };
    },
    failNext(kind, count = 1, retryAfterMs) {
      for (let i = 0; i < count; i++) queued.push(retryAfterMs === undefined ? { kind } : { kind, retryAfterMs });
    },
    clear() {
      sent.length = 0;
      failed.length = 0;
      queued.length = 0;
    },
  };
}
