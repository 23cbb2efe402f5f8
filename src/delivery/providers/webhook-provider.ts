import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '../../db/schema.js';
import type { ChannelProvider, OutboundMessage, SendResult } from '../provider.js';
import { classifyStatus, failure, guarded, httpRequest, isRecord, parseJson, snippet } from './http.js';
import { ALL_CHANNELS } from './sandbox-provider.js';

export interface WebhookOptions {
  url: string;
  /** Shared secret for X-Recoup-Signature; the receiver checks it with the same HMAC. */
  secret: string;
  timeoutMs?: number;
  channels?: readonly Channel[];
  id?: string;
  now?: () => Date;
}

export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function createWebhookProvider(options: WebhookOptions): ChannelProvider {
  const now = options.now ?? (() => new Date());
  return {
    id: options.id ?? 'webhook',
    channels: options.channels ?? ALL_CHANNELS,
    send: (message, signal) => guarded(() => postMessage(options, now(), message, signal)),
  };
}

async function postMessage(options: WebhookOptions, at: Date, message: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
  // Sign exactly the bytes we send: re-serialising on the other side would not reproduce them.
  const body = JSON.stringify(message);
  const response = await httpRequest(
    options.url,
    {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-recoup-signature': signWebhookBody(body, options.secret),
        'x-recoup-timestamp': String(Math.floor(at.getTime() / 1000)),
        'idempotency-key': message.idempotencyKey,
      },
    },
    signal,
    options.timeoutMs,
  );
  if (response.status < 200 || response.status >= 300) {
    return classifyStatus(response, `webhook answered ${response.status}: ${snippet(response.text)}`);
  }
  const parsed = parseJson(response.text);
  const id = isRecord(parsed) ? parsed.id : undefined;
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
    return failure('bad_response', `webhook answered ${response.status} without a JSON {id}: ${snippet(response.text)}`);
  }
  return { ok: true, providerMessageId: String(id) };
}

/**
 * Checks an inbound receipt from the webhook gateway. The timestamp bounds replays; the comparison
 * is constant-time so the signature cannot be guessed byte by byte.
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  timestamp: string | undefined,
  secret: string,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  if (!header || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The receipt body the webhook gateway posts back, loosely checked; undefined when it is not one. */
export function parseWebhookReceipt(body: unknown): { providerMessageId: string; status: 'delivered' | 'read' | 'clicked' | 'failed'; at: Date; reason?: string } | undefined {
  if (!isRecord(body) || typeof body.id !== 'string') return undefined;
  const status = body.status;
  if (status !== 'delivered' && status !== 'read' && status !== 'clicked' && status !== 'failed') return undefined;
  const at = typeof body.at === 'string' ? new Date(body.at) : new Date();
  if (Number.isNaN(at.getTime())) return undefined;
  const reason = typeof body.reason === 'string' ? body.reason : undefined;
  return reason === undefined ? { providerMessageId: body.id, status, at } : { providerMessageId: body.id, status, at, reason };
}
