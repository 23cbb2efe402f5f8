import type { Channel } from '../db/schema.js';

/**
 * One interface for every way a message leaves Recoup. Providers are chosen per channel in config,
 * by id. A provider never retries by itself: it reports what happened, classified, and the delivery
 * queue decides whether to retry, fail over, or give up.
 */
export interface Recipient {
  phone?: string;
  email?: string;
  wechatOpenId?: string;
  appUserId?: string;
  /** Web Push subscription (JSON) or FCM registration token, when the app registered one. */
  pushToken?: string;
}

export interface MessageContent {
  /** The plain text as rendered for the channel (SMS body, email text part, push body, spoken text). */
  text: string;
  subject?: string;
  html?: string;
  title?: string;
  /** Voice: the TwiML document the call opens with (the right-party question, see voice-menu.ts). */
  twiml?: string;
  /** Voice: the TwiML spoken once the debtor has confirmed who they are: the reminder and its DTMF menu. */
  disclosureTwiml?: string;
  /** WeChat template message: the template id and its keyword fields. */
  wechatTemplate?: { templateId: string; data: Record<string, string>; url?: string };
  /** A one-click unsubscribe URL (email List-Unsubscribe, SMS footer). */
  unsubscribeUrl?: string;
  /** Structured card for the app channel. */
  card?: Record<string, unknown>;
  /** Written by a language model: the compliance gate then requires the AI mark. */
  aiGenerated?: boolean;
  /** Which template version and variant wrote this message (src/messaging), kept with the attempt. */
  rendering?: {
    templateId: string;
    version: number;
    variant: string;
    smsEncoding?: 'GSM-7' | 'UCS-2';
    smsSegments?: number;
  };
}

export interface OutboundMessage {
  attemptId: string;
  /** Unique per logical message; providers that support it pass it on so the gateway dedupes too. */
  idempotencyKey: string;
  channel: Channel;
  customerId: string;
  locale: string;
  to: Recipient;
  content: MessageContent;
}

export type FailureKind =
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'rate_limited'
  | 'bad_response'
  | 'invalid_recipient'
  | 'rejected'
  | 'misconfigured';

/** Whether trying the same message again later can succeed. Exhaustive: a new kind must be classified. */
export function isRetryable(kind: FailureKind): boolean {
  switch (kind) {
    case 'timeout':
    case 'network':
    case 'server_error':
    case 'rate_limited':
    // The gateway may have accepted the message even though its answer was garbage: retrying is safe
    // only because the idempotency key travels with it.
    case 'bad_response':
      return true;
    case 'invalid_recipient':
    case 'rejected':
    case 'misconfigured':
      return false;
  }
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; kind: FailureKind; reason: string; retryAfterMs?: number };

export interface ChannelProvider {
  readonly id: string;
  readonly channels: readonly Channel[];
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
}

/** A delivery receipt or an inbound message, as a provider's webhook reported it. */
export type ProviderEvent =
  | { kind: 'receipt'; providerMessageId: string; status: 'delivered' | 'read' | 'clicked' | 'failed'; at: Date; reason?: string }
  | { kind: 'inbound'; channel: Channel; from: Recipient; text: string; at: Date; providerMessageId?: string };
