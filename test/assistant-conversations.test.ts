import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signChatLink } from '../src/conversation/verification.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

/** Whole conversations that change channel midway: the question's context is there on the next channel. */
describe.each(DATABASE_KINDS)('conversations across channels (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: assistantPolicy() });
  });
  afterAll(async () => h?.close());

  const fetchPdf = async (url: string) => {
    const response = await h.server.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, '') });
    return { status: response.statusCode, type: response.headers['content-type'], body: response.rawPayload };
  };

  it('English: plans asked on SMS, one chosen on the app; the choice goes to an agent with the cross-channel history, and the bot then stays silent', async () => {
    const d = await createDebtor(h, 'conv-en', { identities: { phone: '+14155550151', appUserId: 'app-conv-en' } });
    await createBill(h, d.externalId, 'conv-en-a', '1000.00', 'USD', '2026-02-25');
    const sms = await say(h, 'sms', { phone: '+14155550151' }, 'What are my instalment options?');
    expect(kinds(sms)).toEqual(['instalment_options']);
    expect(sms.replies[0]!.text).toContain('6 months: 172.55 USD/month');
    // SMS carries words only; the figures are in the text.
    expect(sms.replies[0]).not.toHaveProperty('cards');

    const app = await say(h, 'app', { appUserId: 'app-conv-en' }, '6');
    expect(kinds(app)).toEqual(['plan_chosen']);
    expect(app.replies[0]).toMatchObject({ channel: 'app', document: { kind: 'repayment_plan', periods: 6 } });
    expect(app.replies[0]!.text).toContain('6 monthly instalments');

    const view = await h.call('GET', `/v1/conversations/${d.id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'queued', handoffReason: 'instalment_plan_chosen', lastChannel: 'app', channelsUsed: expect.arrayContaining(['sms', 'app']) });
    expect(view.body.summary).toContain('Channels used:');
    expect(view.body.summary).toContain('Owes 1000.00 USD');
    expect(view.body.history.map((e: { author: string; channel: string }) => `${e.author}@${e.channel}`)).toEqual([
      'customer@sms', 'assistant@sms', 'customer@app', 'system@app', 'assistant@app',
    ]);

    // The plan as a PDF, opened from the link without an API key; a CJK font travels inside it.
    const pdf = await fetchPdf(app.replies[0]!.document.url);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect((await fetchPdf(`${app.replies[0]!.document.url}x`)).status).toBe(401);

    const ignored = await say(h, 'sms', { phone: '+14155550151' }, 'Hello? Anyone there?');
    expect(ignored).toMatchObject({ handledAs: 'agent', replies: [] });
  });

  it('Chinese: plans asked on WeChat, chosen in the web chat opened from a signed link', async () => {
    const d = await createDebtor(h, 'conv-zh', { locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { wechatOpenId: 'o-conv-zh' } });
    await createBill(h, d.externalId, 'conv-zh-a', '1000.00', 'CNY', '2026-02-25');
    const wechat = await say(h, 'wechat', { wechatOpenId: 'o-conv-zh' }, '有哪些分期方案？');
    expect(kinds(wechat)).toEqual(['instalment_options']);
    expect(wechat.replies[0]!.text).toContain('3期：每月340.02 CNY，手续费10.00 CNY，总成本30.07 CNY，年化利率18.04%');
    expect(wechat.replies[0]!.template.keywords).toContain('每期: 340.02 CNY');

    const link = signChatLink(h.app.links, d.id, new Date(h.app.clock.now().getTime() + 86_400_000));
    const web = await say(h, 'web', { webSessionId: 'zh-browser-0001' }, '我选12期', link);
    expect(kinds(web)).toEqual(['plan_chosen']);
    expect(web.replies[0]!.text).toContain('已将您选择的12期分期转给客服');
    const pdf = await fetchPdf(web.replies[0]!.document.url);
    expect(pdf.status).toBe(200);
    expect(pdf.body.length).toBeGreaterThan(2000);
    const view = await h.call('GET', `/v1/conversations/${d.id}`);
    expect(view.body.channelsUsed).toEqual(expect.arrayContaining(['wechat', 'web']));
  });

  it('after 30 idle minutes a new flow starts: the pending choice is forgotten, the history is not', async () => {
    const d = await createDebtor(h, 'conv-idle', { identities: { phone: '+14155550152', appUserId: 'app-conv-idle' } });
    await createBill(h, d.externalId, 'conv-idle-a', '300.00', 'USD', '2026-02-25');
    expect(kinds(await say(h, 'sms', { phone: '+14155550152' }, 'What are my instalment options?'))).toEqual(['instalment_options']);
    await h.advance(31);
    const late = await say(h, 'app', { appUserId: 'app-conv-idle' }, '6');
    // "6" alone, with no plan pending, reads as a question about instalments: the options again.
    expect(kinds(late)).toEqual(['instalment_options']);
    const inTime = await say(h, 'app', { appUserId: 'app-conv-idle' }, '6');
    expect(kinds(inTime)).toEqual(['plan_chosen']);
    const view = await h.call('GET', `/v1/conversations/${d.id}`);
    expect(view.body.history.filter((e: { author: string }) => e.author === 'customer')).toHaveLength(3);
  });
});
