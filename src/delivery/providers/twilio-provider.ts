import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelProvider, OutboundMessage, ProviderEvent, SendResult } from '../provider.js';
import { classifyStatus, failure, guarded, httpRequest, isRecord, parseJson, parseRetryAfter, snippet, type HttpResponse } from './http.js';
import { escapeMarkup } from '../../core/markup.js';

export interface TwilioOptions {
  /** Defaults to Twilio itself; tests and compatible gateways point it elsewhere. */
  baseUrl?: string;
  accountSid: string;
  authToken: string;
  /** Sender number; or a messaging service, which picks the sender itself. */
  from?: string;
  messagingServiceSid?: string;
  /** Sender for calls when it differs from the SMS sender. */
  voiceFrom?: string;
  statusCallbackUrl?: string;
  timeoutMs?: number;
  id?: string;
}

export function createTwilioProvider(options: TwilioOptions): ChannelProvider {
  const base = `${(options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    id: options.id ?? 'twilio',
    channels: ['sms', 'voice'],
    send: (message, signal) =>
      guarded(async () => {
        const form = message.channel === 'voice' ? callForm(options, message) : smsForm(options, message);
        if ('ok' in form) return form;
        const path = message.channel === 'voice' ? 'Calls.json' : 'Messages.json';
        const response = await httpRequest(
          `${base}/${path}`,
          { method: 'POST', body: form, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } },
          signal,
          options.timeoutMs,
        );
        return interpret(response);
      }),
  };
}

function smsForm(options: TwilioOptions, message: OutboundMessage): URLSearchParams | SendResult {
  const to = message.to.phone;
  if (!to) return failure('invalid_recipient', 'recipient has no phone number');
  const form = new URLSearchParams({ To: to, Body: message.content.text });
  if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
  else if (options.from) form.set('From', options.from);
  else return failure('misconfigured', 'twilio needs from or messagingServiceSid');
  if (options.statusCallbackUrl) form.set('StatusCallback', options.statusCallbackUrl);
  return form;
}

function callForm(options: TwilioOptions, message: OutboundMessage): URLSearchParams | SendResult {
  const to = message.to.phone;
  if (!to) return failure('invalid_recipient', 'recipient has no phone number');
  const from = options.voiceFrom ?? options.from;
  // Calls cannot go through a messaging service: they need a caller id.
  if (!from) return failure('misconfigured', 'twilio voice needs voiceFrom or from');
  const twiml = message.content.twiml ?? `<Response><Say>${escapeMarkup(message.content.text)}</Say></Response>`;
  const form = new URLSearchParams({ To: to, From: from, Twiml: twiml });
  if (options.statusCallbackUrl) {
    form.set('StatusCallback', options.statusCallbackUrl);
    for (const event of ['initiated', 'ringing', 'answered', 'completed']) form.append('StatusCallbackEvent', event);
  }
  return form;
}


const INVALID_NUMBER = new Set([21211, 21214, 21217, 21401, 21614]);

function interpret(response: HttpResponse): SendResult {
  const body = parseJson(response.text);
  if (response.status >= 200 && response.status < 300) {
    if (isRecord(body) && typeof body.sid === 'string' && body.sid) return { ok: true, providerMessageId: body.sid };
    return failure('bad_response', `twilio answered ${response.status} without a sid: ${snippet(response.text)}`);
  }
  const code = isRecord(body) && typeof body.code === 'number' ? body.code : undefined;
  const reason = `twilio ${response.status}${code ? ` code ${code}` : ''}: ${isRecord(body) && typeof body.message === 'string' ? body.message : snippet(response.text)}`;
  if (code !== undefined && INVALID_NUMBER.has(code)) return failure('invalid_recipient', reason);
  // 21610: the recipient replied STOP to this sender; only they can undo it.
  if (code === 21610) return failure('rejected', reason);
  if (code === 20429 || response.status === 429) return failure('rate_limited', reason, parseRetryAfter(response.headers.get('retry-after')));
  if (code === 20003) return failure('misconfigured', reason);
  return classifyStatus(response, reason);
}

type Params = Record<string, string | readonly string[] | undefined>;

/**
 * Twilio's X-Twilio-Signature: HMAC-SHA1 keyed with the auth token over the full URL followed by every
 * POST parameter, sorted by name, as name+value with no separators; base64.
 */
export function computeTwilioSignature(authToken: string, url: string, params: Params): string {
  const data = Object.keys(params)
    .sort()
    .map((key) => {
      const value = params[key];
      if (value === undefined) return '';
      const values = typeof value === 'string' ? [value] : [...value].sort();
      return values.map((v) => key + v).join('');
    })
    .join('');
  return createHmac('sha1', authToken).update(url + data, 'utf8').digest('base64');
}

export function validateTwilioSignature(authToken: string, url: string, params: Params, signatureHeader: string | undefined): boolean {
  if (!signatureHeader) return false;
  const expected = Buffer.from(computeTwilioSignature(authToken, url, params));
  const given = Buffer.from(signatureHeader);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const MESSAGE_STATUS: Record<string, 'delivered' | 'read' | 'failed' | undefined> = {
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
};
const CALL_STATUS: Record<string, 'delivered' | 'failed' | undefined> = {
  completed: 'delivered',
  busy: 'failed',
  'no-answer': 'failed',
  failed: 'failed',
  canceled: 'failed',
};

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * A status callback (message or call) becomes a receipt; an incoming SMS becomes an inbound message.
 * Intermediate states (queued, sent, ringing…) say nothing final, so they give no event.
 */
export function parseTwilioWebhook(params: Params, at: Date = new Date()): ProviderEvent[] {
  const get = (key: string) => first(params[key]);
  const messageSid = get('MessageSid') ?? get('SmsSid');
  const messageStatus = get('MessageStatus');
  if (messageSid && messageStatus) {
    if (messageStatus === 'received') return inbound(get, messageSid, at);
    const status = MESSAGE_STATUS[messageStatus];
    if (!status) return [];
    const reason = get('ErrorCode') ? `twilio error ${get('ErrorCode')}` : undefined;
    return [{ kind: 'receipt', providerMessageId: messageSid, status, at, ...(reason && status === 'failed' ? { reason } : {}) }];
  }
  const callSid = get('CallSid');
  const callStatus = get('CallStatus');
  if (callSid && callStatus) {
    const status = CALL_STATUS[callStatus];
    return status ? [{ kind: 'receipt', providerMessageId: callSid, status, at, ...(status === 'failed' ? { reason: `call ${callStatus}` } : {}) }] : [];
  }
  if (messageSid) return inbound(get, messageSid, at);
  return [];
}

function inbound(get: (key: string) => string | undefined, messageSid: string, at: Date): ProviderEvent[] {
  const from = get('From');
  const text = get('Body');
  if (!from || text === undefined) return [];
  return [{ kind: 'inbound', channel: 'sms', from: { phone: from }, text, at, providerMessageId: messageSid }];
}
