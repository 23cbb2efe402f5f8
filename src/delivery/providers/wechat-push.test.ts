import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { interpretWeChatPush, isFreshTimestamp, verifyWeChatSignature } from './wechat-push.js';

const at = new Date('2026-03-01T00:00:00Z');
// Written from WeChat's documentation rather than imported, so the helper is checked against it.
const sign = (token: string, timestamp: string, nonce: string) => createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

describe('verifyWeChatSignature', () => {
  it('accepts SHA-1 over the sorted token, timestamp and nonce, and nothing else', () => {
    const query = { timestamp: '1772323200', nonce: '98765', signature: sign('tok', '1772323200', '98765') };
    expect(verifyWeChatSignature('tok', query)).toBe(true);
    expect(verifyWeChatSignature('other', query)).toBe(false);
    expect(verifyWeChatSignature('tok', { ...query, nonce: '98766' })).toBe(false);
    expect(verifyWeChatSignature('tok', { ...query, signature: undefined })).toBe(false);
    expect(verifyWeChatSignature('tok', { ...query, signature: 'abc' })).toBe(false);
  });

  it('judges timestamps within five minutes of now fresh', () => {
    const now = Math.floor(at.getTime() / 1000);
    expect(isFreshTimestamp(String(now - 299), at)).toBe(true);
    expect(isFreshTimestamp(String(now + 301), at)).toBe(false);
    expect(isFreshTimestamp('soon', at)).toBe(false);
  });
});

describe('interpretWeChatPush', () => {
  it('reads a text message with its openid, account and MsgId', () => {
    expect(interpretWeChatPush({ ToUserName: 'gh_1', FromUserName: 'oU', MsgType: 'text', Content: ' 退订 ', MsgId: '42' }, at)).toEqual({ kind: 'text', openId: 'oU', account: 'gh_1', text: '退订', msgId: '42' });
    expect(interpretWeChatPush({ FromUserName: 'oU', MsgType: 'text', Content: '  ' }, at).kind).toBe('ignored');
  });

  it('reads unfollowing as an unsubscribe, and ignores following and pictures', () => {
    expect(interpretWeChatPush({ FromUserName: 'oU', MsgType: 'event', Event: 'unsubscribe' }, at)).toEqual({ kind: 'unsubscribe', openId: 'oU' });
    expect(interpretWeChatPush({ FromUserName: 'oU', MsgType: 'event', Event: 'subscribe' }, at).kind).toBe('ignored');
    expect(interpretWeChatPush({ FromUserName: 'oU', MsgType: 'image' }, at).kind).toBe('ignored');
  });

  it('turns TEMPLATESENDJOBFINISH into a delivered or failed receipt for the MsgID', () => {
    const finish = (Status: string) => interpretWeChatPush({ FromUserName: 'oU', MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH', MsgID: '200163836', Status }, at);
    expect(finish('success')).toEqual({ kind: 'receipt', event: { kind: 'receipt', providerMessageId: '200163836', status: 'delivered', at } });
    expect(finish('failed:user block')).toEqual({ kind: 'receipt', event: { kind: 'receipt', providerMessageId: '200163836', status: 'failed', at, reason: 'wechat user block' } });
    expect(finish('failed: system failed')).toMatchObject({ event: { status: 'failed', reason: 'wechat system failed' } });
    expect(finish('pending').kind).toBe('ignored');
  });
});
