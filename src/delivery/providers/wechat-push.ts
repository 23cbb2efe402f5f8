import { createHash, timingSafeEqual } from 'node:crypto';
import type { ProviderEvent } from '../provider.js';

/**
 * What WeChat pushes to the official account's server URL (plain mode), read into the few shapes
 * Recoup acts on. Everything else (images, follow events, menu clicks) is acknowledged and ignored.
 */
export type WeChatPush =
  | { kind: 'text'; openId: string; account: string; text: string; msgId?: string }
  | { kind: 'unsubscribe'; openId: string }
  | { kind: 'receipt'; event: Extract<ProviderEvent, { kind: 'receipt' }> }
  | { kind: 'ignored'; reason: string };

/** WeChat's signature: SHA-1 hex of token, timestamp and nonce sorted as strings and concatenated. */
export function computeWeChatSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
}

export function verifyWeChatSignature(token: string, query: { signature?: unknown; timestamp?: unknown; nonce?: unknown }): boolean {
  const { signature, timestamp, nonce } = query;
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') return false;
  const expected = Buffer.from(computeWeChatSignature(token, timestamp, nonce));
  const given = Buffer.from(signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * In plain mode the signature covers only the timestamp and nonce, not the body: a captured query
 * string could carry any body. Refusing stale timestamps narrows that replay window to minutes.
 */
export function isFreshTimestamp(timestamp: unknown, now: Date, windowSeconds = 300): boolean {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - Math.floor(now.getTime() / 1000)) <= windowSeconds;
}

/** Status of a template message, as TEMPLATESENDJOBFINISH reports it ("failed:user block", "failed: system failed"). */
function templateReceipt(fields: Record<string, string>, at: Date): WeChatPush {
  const msgId = fields.MsgID ?? fields.MsgId;
  const status = (fields.Status ?? '').trim();
  if (!msgId) return { kind: 'ignored', reason: 'TEMPLATESENDJOBFINISH without MsgID' };
  if (status === 'success') return { kind: 'receipt', event: { kind: 'receipt', providerMessageId: msgId, status: 'delivered', at } };
  if (status.startsWith('failed')) {
    const reason = `wechat ${status.replace(/^failed:\s*/, '') || 'failed'}`;
    return { kind: 'receipt', event: { kind: 'receipt', providerMessageId: msgId, status: 'failed', at, reason } };
  }
  return { kind: 'ignored', reason: `unknown template status ${JSON.stringify(status)}` };
}

/** Reads the fields of one push (see parseFlatXml) into what Recoup does with it. */
export function interpretWeChatPush(fields: Record<string, string>, at: Date): WeChatPush {
  const openId = fields.FromUserName;
  const type = fields.MsgType;
  if (!openId) return { kind: 'ignored', reason: 'no FromUserName' };
  if (type === 'text') {
    const text = (fields.Content ?? '').trim();
    if (!text) return { kind: 'ignored', reason: 'empty text message' };
    return { kind: 'text', openId, account: fields.ToUserName ?? '', text, ...(fields.MsgId ? { msgId: fields.MsgId } : {}) };
  }
  if (type === 'event') {
    const event = (fields.Event ?? '').toLowerCase();
    if (event === 'unsubscribe') return { kind: 'unsubscribe', openId };
    if (event === 'templatesendjobfinish') return templateReceipt(fields, at);
    return { kind: 'ignored', reason: `event ${fields.Event ?? '(none)'}` };
  }
  return { kind: 'ignored', reason: `message type ${type ?? '(none)'}` };
}
