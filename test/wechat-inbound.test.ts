import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { parseFlatXml } from '../src/delivery/providers/wechat-xml.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

const TOKEN = 'wechat-server-token';
const ACCOUNT = 'gh_recoup';
const providers = { wechat: { provider: 'wechat', appId: 'wx-app', appSecret: 'wx-secret', token: TOKEN } };
// Written from WeChat's documentation rather than imported, so the route is checked against it.
const sign = (token: string, timestamp: string, nonce: string) => createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');

const textXml = (openId: string, content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>1772323200</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
const eventXml = (openId: string, event: string, extra = '') =>
  `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>1772323200</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${extra}</xml>`;

describe.each(DATABASE_KINDS)('WeChat inbound on %s', (kind) => {
  let h: Harness;
  let msgIds = 0;
  const wechat = recordingProvider('wechat', () => ({ ok: true, providerMessageId: String(2_000_000 + ++msgIds) }));
  const ids: Record<string, string> = {};

  const signedQuery = (options: { token?: string; timestamp?: string; nonce?: string } = {}) => {
    const timestamp = options.timestamp ?? String(Math.floor(h.app.clock.now().getTime() / 1000));
    const nonce = options.nonce ?? '483920';
    return `signature=${sign(options.token ?? TOKEN, timestamp, nonce)}&timestamp=${timestamp}&nonce=${nonce}`;
  };
  const push = (xml: string, query = signedQuery(), contentType = 'text/xml; charset=utf-8') =>
    h.server.inject({ method: 'POST', url: `/v1/webhooks/wechat?${query}&openid=ignored`, headers: { 'content-type': contentType }, payload: xml });
  const customer = async (id: string) => (await h.call('GET', `/v1/customers/${id}`)).body;
  const attempts = (customerId: string) =>
    h.app.db.selectFrom('contact_attempts').select(['idempotency_key', 'status', 'template_id', 'provider', 'last_error']).where('customer_id', '=', customerId).where('channel', '=', 'wechat').orderBy('created_at').execute();
  const sentTo = (customerId: string) => wechat.received.filter((m) => m.customerId === customerId);

  beforeAll(async () => {
    h = await startHarness(kind, { providers }, { providerFor: () => wechat });
    for (const key of ['wx-talk', 'wx-stop', 'wx-unfollow', 'wx-receipts']) {
      const created = await h.call('POST', '/v1/customers', { externalId: key, locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { wechatOpenId: `o-${key}` }, consents: { wechat: true } });
      expect(created.status).toBeLessThan(300);
      ids[key] = created.body.id;
    }
  });
  afterAll(async () => h?.close());

  it('answers the server URL verification with echostr, and a bad signature with 401', async () => {
    const good = await h.server.inject({ method: 'GET', url: `/v1/webhooks/wechat?${signedQuery()}&echostr=echo-5566` });
    expect(good.statusCode).toBe(200);
    expect(good.headers['content-type']).toContain('text/plain');
    expect(good.body).toBe('echo-5566');
    const bad = await h.server.inject({ method: 'GET', url: `/v1/webhooks/wechat?${signedQuery({ token: 'not-the-token' })}&echostr=echo-5566` });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).not.toContain('echo-5566');
  });

  it('refuses a push with a bad or stale signature with 401, changing nothing', async () => {
    const forged = await push(textXml('o-wx-stop', '退订', '1'), signedQuery({ token: 'not-the-token' }));
    expect(forged.statusCode).toBe(401);
    const stale = await push(textXml('o-wx-stop', '退订', '2'), signedQuery({ timestamp: String(Math.floor(h.app.clock.now().getTime() / 1000) - 3600) }));
    expect(stale.statusCode).toBe(401);
    const unfollow = await push(eventXml('o-wx-unfollow', 'unsubscribe'), `timestamp=1&nonce=2`);
    expect(unfollow.statusCode).toBe(401);
    expect((await customer(ids['wx-stop']!)).consents.wechat).toBe(true);
    expect((await customer(ids['wx-unfollow']!)).consents.wechat).toBe(true);
    expect((await customer(ids['wx-stop']!)).timeline.filter((e: { kind: string }) => e.kind === 'message.inbound')).toHaveLength(0);
  });

  it('takes a text message from a known openid onto the timeline and answers success or one passive reply', async () => {
    const response = await push(textXml('o-wx-talk', '我这个月的账单是多少？', '101'), signedQuery(), 'application/xml');
    expect(response.statusCode).toBe(200);
    if (response.body !== 'success') {
      // With an assistant answering, its one reply comes back in the same chat, addressed to the sender.
      expect(parseFlatXml(response.body)).toMatchObject({ ok: true, fields: { ToUserName: 'o-wx-talk', FromUserName: ACCOUNT, MsgType: 'text' } });
    }
    const timeline = (await customer(ids['wx-talk']!)).timeline;
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'message.inbound', channel: 'wechat', summary: expect.objectContaining({ text: '我这个月的账单是多少？' }) }));
  });

  it('ends WeChat reminders on 退订 with exactly one acknowledgement, in the passive reply', async () => {
    const id = ids['wx-stop']!;
    const now = h.app.clock.now();
    await scheduleAttempts(h.app.db, now, [{ idempotencyKey: 'wx-stop-reminder', customerId: id, receivableIds: [], channel: 'wechat', templateId: 'r', content: { text: 'pay' }, dueAt: new Date(now.getTime() + 3_600_000), decision: {} }]);
    const response = await push(textXml('o-wx-stop', '退订', '201'));
    expect(response.statusCode).toBe(200);
    const reply = parseFlatXml(response.body);
    expect(reply).toMatchObject({ ok: true, fields: { ToUserName: 'o-wx-stop', FromUserName: ACCOUNT, MsgType: 'text', CreateTime: String(Math.floor(now.getTime() / 1000)) } });
    expect(reply.ok && reply.fields.Content).toContain('您已退订');
    expect((await customer(id)).consents.wechat).toBe(false);

    const again = await push(textXml('o-wx-stop', '退订', '202'));
    expect(again.body).toBe('success');
    await h.advance(120);
    // The acknowledgement went out in the reply: the queue sends neither it nor the reminder.
    expect(sentTo(id)).toHaveLength(0);
    const rows = await attempts(id);
    expect(rows.find((a) => a.idempotency_key === 'wx-stop-reminder')?.status).toBe('cancelled');
    expect(rows.filter((a) => a.template_id === 'opt_out_acknowledgement').map((a) => a.status)).toEqual(['sent']);
  });

  it('withdraws WeChat consent when the customer unfollows, sending nothing they could not receive', async () => {
    const id = ids['wx-unfollow']!;
    const response = await push(eventXml('o-wx-unfollow', 'unsubscribe'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    const view = await customer(id);
    expect(view.consents.wechat).toBe(false);
    expect(view.timeline).toContainEqual(expect.objectContaining({ kind: 'consent.withdrawn', channel: 'wechat', summary: { source: 'wechat:unsubscribe' } }));
    await h.advance(5);
    expect(sentTo(id)).toHaveLength(0);
    expect((await attempts(id)).map((a) => a.status)).toEqual(['cancelled']);
    // Unknown followers unfollowing is nobody's business.
    expect((await push(eventXml('o-stranger', 'unsubscribe'))).body).toBe('success');
  });

  it('marks template messages delivered or failed on TEMPLATESENDJOBFINISH', async () => {
    const id = ids['wx-receipts']!;
    const now = h.app.clock.now();
    const base = { customerId: id, receivableIds: [], channel: 'wechat' as const, templateId: 'r', content: { text: 'x', wechatTemplate: { templateId: 'T', data: {} } }, dueAt: now, decision: {} };
    await scheduleAttempts(h.app.db, now, [{ ...base, idempotencyKey: 'wx-r-ok' }, { ...base, idempotencyKey: 'wx-r-blocked' }]);
    await h.advance(0);
    const msgId = async (key: string) => (await h.app.db.selectFrom('contact_attempts').select('provider_message_id').where('idempotency_key', '=', key).executeTakeFirstOrThrow()).provider_message_id!;
    const finish = (id: string, status: string) => push(eventXml('o-wx-receipts', 'TEMPLATESENDJOBFINISH', `<MsgID>${id}</MsgID><Status><![CDATA[${status}]]></Status>`));

    expect((await finish(await msgId('wx-r-ok'), 'success')).body).toBe('success');
    expect((await finish(await msgId('wx-r-blocked'), 'failed:user block')).body).toBe('success');
    expect((await finish('999999999', 'success')).body).toBe('success');
    const rows = await attempts(id);
    expect(rows.find((a) => a.idempotency_key === 'wx-r-ok')).toMatchObject({ status: 'delivered', provider: 'wechat' });
    expect(rows.find((a) => a.idempotency_key === 'wx-r-blocked')).toMatchObject({ status: 'failed', last_error: expect.stringContaining('user block') });
  });

  it('refuses malformed XML with 400 and bodies over 64 KiB with 413', async () => {
    const bad = await push('<xml><FromUserName>o-wx-talk</xml>');
    expect(bad.statusCode).toBe(400);
    const doctype = await push('<!DOCTYPE xml [<!ENTITY e "x">]><xml><MsgType>text</MsgType></xml>');
    expect(doctype.statusCode).toBe(400);
    const huge = await push(textXml('o-wx-talk', 'x'.repeat(70 * 1024), '301'));
    expect(huge.statusCode).toBe(413);
    const timeline = (await customer(ids['wx-talk']!)).timeline;
    expect(timeline.filter((e: { kind: string }) => e.kind === 'message.inbound')).toHaveLength(1);
  });
});
