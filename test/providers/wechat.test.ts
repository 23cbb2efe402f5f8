import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWeChatProvider } from '../../src/delivery/providers/wechat-provider.js';
import { startWeChatPeer, type WeChatPeer } from '../support/peers/wechat-peer.js';
import { message, never } from './message.js';

let peer: WeChatPeer;
beforeAll(async () => {
  peer = await startWeChatPeer('wx-app', 'wx-secret');
  peer.followers.add('oFollower1');
});
afterAll(() => peer.close());

const wechatMessage = (openId = 'oFollower1') =>
  message('wechat', {
    to: { wechatOpenId: openId },
    content: { text: 'x', wechatTemplate: { templateId: 'TPL-overdue', url: 'https://pay.example/r/42', data: { amount: '¥128.50', due: '2025-03-01' } } },
  });

let clock = 0;
beforeEach(() => {
  clock = 1_000_000;
});
const provider = (secret = 'wx-secret') =>
  createWeChatProvider({ baseUrl: peer.url, appId: 'wx-app', appSecret: secret, timeoutMs: 300, now: () => clock });

describe('wechat provider', () => {
  it('fetches a token once, sends the template message and returns the msgid', async () => {
    const p = provider();
    const before = peer.tokenRequests;
    const first = await p.send(wechatMessage(), never());
    const second = await p.send(wechatMessage(), never());
    expect(first).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^\d+$/) });
    expect(second.ok).toBe(true);
    expect(peer.tokenRequests - before).toBe(1);
    expect(peer.sent.at(-1)).toEqual({
      touser: 'oFollower1',
      template_id: 'TPL-overdue',
      url: 'https://pay.example/r/42',
      data: { amount: { value: '¥128.50' }, due: { value: '2025-03-01' } },
    });
  });

  it('refreshes the token before expires_in runs out', async () => {
    const p = provider();
    const before = peer.tokenRequests;
    await p.send(wechatMessage(), never());
    clock += (7200 - 301) * 1000; // still inside the margin
    await p.send(wechatMessage(), never());
    expect(peer.tokenRequests - before).toBe(1);
    clock += 2000; // past expires_in minus the 300 s margin
    await p.send(wechatMessage(), never());
    expect(peer.tokenRequests - before).toBe(2);
  });

  it('on 40001 fetches a new token and retries once, successfully', async () => {
    const p = provider();
    await p.send(wechatMessage(), never());
    const before = peer.tokenRequests;
    const sentBefore = peer.sent.length;
    peer.expireTokens();
    expect(await p.send(wechatMessage(), never())).toMatchObject({ ok: true });
    expect(peer.tokenRequests - before).toBe(1);
    expect(peer.sent.length - sentBefore).toBe(1);
  });

  it('retries a stale token only once', async () => {
    const p = provider();
    await p.send(wechatMessage(), never());
    const before = peer.requests.length;
    peer.script(
      { status: 200, json: { errcode: 40001, errmsg: 'invalid credential' } },
      { status: 200, json: { access_token: 'fresh', expires_in: 7200 } },
      { status: 200, json: { errcode: 42001, errmsg: 'access_token expired' } },
    );
    expect(await p.send(wechatMessage(), never())).toMatchObject({ ok: false, kind: 'misconfigured' });
    expect(peer.requests.length - before).toBe(3);
  });

  it('maps a non-follower (43004) and a bad openid (40003) to invalid_recipient', async () => {
    expect(await provider().send(wechatMessage('oStranger'), never())).toMatchObject({ ok: false, kind: 'invalid_recipient', reason: expect.stringContaining('43004') });
    expect(await provider().send(wechatMessage('not-an-openid'), never())).toMatchObject({ ok: false, kind: 'invalid_recipient', reason: expect.stringContaining('40003') });
  });

  it.each([
    [{ status: 200, json: { errcode: 45009, errmsg: 'reach max api daily quota limit' } }, 'rate_limited'],
    [{ status: 200, json: { errcode: -1, errmsg: 'system error' } }, 'server_error'],
    [{ status: 502, text: 'bad gateway' }, 'server_error'],
    ['garbage' as const, 'bad_response'],
    ['hang' as const, 'timeout'],
  ])('classifies %j as %s', async (reply, kind) => {
    const p = provider();
    await p.send(wechatMessage(), never()); // warm the token so the script hits the send
    peer.script(reply);
    expect(await p.send(wechatMessage(), never())).toMatchObject({ ok: false, kind });
  });

  it('a wrong app secret is misconfigured; a message without template or openid never reaches WeChat', async () => {
    expect(await provider('wrong').send(wechatMessage(), never())).toMatchObject({ ok: false, kind: 'misconfigured', reason: expect.stringContaining('40125') });
    const before = peer.requests.length;
    expect(await provider().send(message('wechat', { to: {} }), never())).toMatchObject({ ok: false, kind: 'invalid_recipient' });
    expect(await provider().send(message('wechat', { to: { wechatOpenId: 'oFollower1' } }), never())).toMatchObject({ ok: false, kind: 'misconfigured' });
    expect(peer.requests.length).toBe(before);
  });
});
