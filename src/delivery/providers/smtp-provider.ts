import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ChannelProvider, OutboundMessage } from '../provider.js';
import { DEFAULT_TIMEOUT_MS, failure, type Failure } from './http.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Refuse to send in clear text when the server does not offer STARTTLS. */
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  replyTo?: string;
  timeoutMs?: number;
  id?: string;
  /** Domain for Message-IDs; defaults to the domain of `from`. */
  messageIdDomain?: string;
  /** Test servers use self-signed certificates; never set this in production. */
  allowInvalidCertificates?: boolean;
}

export function createSmtpProvider(options: SmtpOptions): ChannelProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTLS ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(options.allowInvalidCertificates ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const domain = options.messageIdDomain ?? domainOf(options.from);
  return {
    id: options.id ?? 'smtp',
    channels: ['email'],
    async send(message, signal) {
      const to = message.to.email;
      if (!to) return failure('invalid_recipient', 'recipient has no email address');
      const messageId = messageIdFor(message.idempotencyKey, domain);
      const mail = {
        from: options.from,
        ...(options.replyTo ? { replyTo: options.replyTo } : {}),
        to,
        subject: message.content.subject ?? message.content.title ?? '',
        text: message.content.text,
        ...(message.content.html ? { html: message.content.html } : {}),
        messageId,
        headers: unsubscribeHeaders(message),
      };
      const outcome = await raceAbort(transport.sendMail(mail), signal);
      if (outcome.aborted) return failure('timeout', 'aborted by caller before the SMTP server answered');
      if ('error' in outcome) return classifySmtpError(outcome.error);
      const rejected = outcome.value.rejected;
      if (rejected.length > 0) return failure('invalid_recipient', `server rejected ${rejected.map(String).join(', ')}`);
      return { ok: true, providerMessageId: messageId };
    },
  };
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'recoup.invalid';
}

/**
 * The same logical message always gets the same Message-ID, so a retried send after a lost answer is
 * recognisable as a duplicate by receivers and by us when bounces come back.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const local = /^[A-Za-z0-9._-]{1,64}$/.test(idempotencyKey)
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${local}@${domain}>`;
}

/** RFC 8058 one-click unsubscribe: mailbox providers require both headers for bulk senders. */
function unsubscribeHeaders(message: OutboundMessage): Record<string, string> {
  const url = message.content.unsubscribeUrl;
  if (!url) return {};
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

type Raced<T> = { aborted: true } | { aborted: false; value: T } | { aborted: false; error: unknown };

/** nodemailer takes no AbortSignal; we stop waiting, and its own socket timeout closes the connection. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<Raced<T>> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve({ aborted: true });
  }
  return new Promise((resolve) => {
    const onAbort = () => resolve({ aborted: true });
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => resolve({ aborted: false, value }),
      (error: unknown) => resolve({ aborted: false, error }),
    ).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface SmtpErrorShape {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

const RECIPIENT_CODES = new Set([550, 551, 553]);
const THROTTLE_CODES = new Set([421, 450, 451, 452]);

/** Exported for tests of codes a loopback server cannot easily produce. */
export function classifySmtpError(error: unknown): Failure {
  const e = (error ?? {}) as SmtpErrorShape;
  const reason = e.response ?? e.message ?? String(error);
  const code = e.responseCode;
  if (typeof code === 'number' && code >= 400 && code < 600) {
    if (code < 500) return failure(THROTTLE_CODES.has(code) ? 'rate_limited' : 'server_error', reason);
    // 550 to DATA is a content refusal, not a bad address: only the RCPT stage speaks about the recipient.
    const atRecipient = e.command === 'RCPT TO' || e.code === 'EENVELOPE';
    if (RECIPIENT_CODES.has(code) && atRecipient) return failure('invalid_recipient', reason);
    if (code === 530 || code === 535) return failure('misconfigured', reason);
    return failure('rejected', reason);
  }
  switch (e.code) {
    case 'ETIMEDOUT':
      return failure('timeout', reason);
    case 'EAUTH':
    case 'ENOAUTH':
    case 'ETLS':
      return failure('misconfigured', reason);
    case 'EPROTOCOL':
      return failure('bad_response', reason);
    default:
      // ECONNECTION, ESOCKET, EDNS, ECONNREFUSED and anything below SMTP: the server never decided.
      return failure('network', reason);
  }
}
