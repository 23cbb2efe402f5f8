import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

/**
 * Each flow against the database: the numbers said are the debts stored, the plans are the
 * hand-computed schedules (see src/conversation/instalment-math.test.ts for the working), and the
 * holds the flows make are real rows the planner honours.
 */
describe.each(DATABASE_KINDS)('assistant flows on real data (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { policyFile: assistantPolicy({ maxDays: 10, maxGrants: 1, windowDays: 90 }) });
  });
  afterAll(async () => h?.close());

  it('balance and due dates, exactly, after a partial payment', async () => {
    const d = await createDebtor(h, 'bal-1', { identities: { phone: '+14155550111' } });
    await createBill(h, d.externalId, 'bal-1-a', '400.00', 'USD', '2026-02-20');
    await createBill(h, d.externalId, 'bal-1-b', '250.50', 'USD', '2026-03-15');
    expect((await h.call('POST', '/v1/payments', { externalId: 'bal-1-pay', receivableExternalId: 'bal-1-a', amount: '100.25', paidAt: '2026-02-25T12:00:00Z' })).status).toBeLessThan(300);
    const r = await say(h, 'sms', { phone: '+14155550111' }, 'How much do I owe?');
    expect(r.status).toBe(200);
    expect(r.handledAs).toBe('assistant');
    expect(kinds(r)).toEqual(['balance']);
    expect(r.replies[0]!.text).toContain('bal-1-a: 299.75 USD was due on 2026-02-20');
    expect(r.replies[0]!.text).toContain('bal-1-b: 250.50 USD is due on 2026-03-15');
    expect(r.replies[0]!.text).toContain('Total outstanding: 550.25 USD.');

    const early = await say(h, 'sms', { phone: '+14155550111' }, 'I want to pay everything off early');
    expect(kinds(early)).toEqual(['early_repayment']);
    // Everything still owed, the bill not yet due included, valid to the end of the debtor's day (New York).
    expect(early.replies[0]!.text).toContain('you would pay 550.25 USD today (quote valid until 2026-02-28)');
    expect(early.replies[0]!.text).toContain('This includes 250.50 USD that is not due yet.');
  });

  it('three instalment plans side by side, matching the hand-computed schedules, on app as cards and data', async () => {
    const d = await createDebtor(h, 'plan-1', { identities: { appUserId: 'app-plan-1' } });
    await createBill(h, d.externalId, 'plan-1-a', '1000.00', 'USD', '2026-02-25');
    const r = await say(h, 'app', { appUserId: 'app-plan-1' }, 'What are my instalment options?');
    expect(kinds(r)).toEqual(['instalment_options']);
    const reply = r.replies[0]!;
    expect(reply.cards).toHaveLength(3);
    expect(reply.quickReplies.map((q: { reply: string }) => q.reply)).toEqual(['3', '6', '12']);
    const [three, six, twelve] = reply.data.plans;
    expect(three).toMatchObject({ periods: 3, principal: '1000.00', instalment: '340.02', fee: '10.00', totalInterest: '20.07', totalPaid: '1030.07', totalCost: '30.07', apr: '18.04' });
    expect(three.schedule).toEqual([
      { period: 1, dueDate: '2026-03-28', payment: '350.02', principal: '330.02', interest: '10.00', fee: '10.00', balanceAfter: '669.98' },
      { period: 2, dueDate: '2026-04-28', payment: '340.02', principal: '333.32', interest: '6.70', fee: '0.00', balanceAfter: '336.66' },
      { period: 3, dueDate: '2026-05-28', payment: '340.03', principal: '336.66', interest: '3.37', fee: '0.00', balanceAfter: '0.00' },
    ]);
    expect(six.schedule.map((l: { payment: string }) => l.payment)).toEqual(['182.55', '172.55', '172.55', '172.55', '172.55', '172.53']);
    expect([six.totalPaid, six.apr]).toEqual(['1045.28', '15.47']);
    expect(twelve).toMatchObject({ instalment: '88.85', totalInterest: '66.19', totalPaid: '1076.19', apr: '13.89' });
    expect(twelve.schedule.at(-1)).toMatchObject({ dueDate: '2027-02-28', payment: '88.84', balanceAfter: '0.00' });
    expect(reply.text).toContain('3 months: 340.02 USD/month, fee 10.00 USD, total cost 30.07 USD, APR 18.04%');
    expect(reply.text).toContain('12 months: 88.85 USD/month, fee 10.00 USD, total cost 76.19 USD, APR 13.89%');
  });

  it('a pay link signed for the customer and the amount owed, written out on SMS', async () => {
    const d = await createDebtor(h, 'link-1', { identities: { phone: '+14155550112' } });
    await createBill(h, d.externalId, 'link-1-a', '75.40', 'USD', '2026-02-25');
    const r = await say(h, 'sms', { phone: '+14155550112' }, 'Send me a payment link');
    expect(kinds(r)).toEqual(['pay_link']);
    const url = /https?:\/\/\S+\/pay\?token=(\S+)/.exec(r.replies[0]!.text);
    expect(url, r.replies[0]!.text).not.toBeNull();
    expect(h.app.links.verify(url![1]!, h.app.clock.now())).toEqual({ c: d.id, p: 'pay', a: '7540', cur: 'USD' });
    expect(h.app.links.verify(`${url![1]!}x`, h.app.clock.now())).toBeUndefined();
  });

  it('fees and credit impact are answered truthfully and neutrally; greeting, thanks and goodbye; out of scope gets the menu', async () => {
    await createDebtor(h, 'talk-1', { identities: { phone: '+14155550113' } });
    const from = { phone: '+14155550113' };
    const fees = await say(h, 'sms', from, 'What fees do you charge?');
    expect(fees.replies[0]!.text).toContain('a one-off fee of 1% of the balance and interest at 12% a year');
    const credit = await say(h, 'sms', from, 'Will this affect my credit score?');
    expect(credit.replies[0]!.text).toMatch(/^Late payment may be reported/);
    expect(credit.replies[0]!.text).not.toMatch(/will be reported|sue|court|arrest/i);
    expect(kinds(await say(h, 'sms', from, 'Hello'))).toEqual(['greeting']);
    expect(kinds(await say(h, 'sms', from, 'Thanks'))).toEqual(['thanks']);
    expect(kinds(await say(h, 'sms', from, 'Bye'))).toEqual(['goodbye']);
    const weather = await say(h, 'sms', from, 'What is the weather in Paris?');
    expect(kinds(weather)).toEqual(['not_understood']);
    expect(weather.replies[0]!.text).toContain('Sorry, I did not understand');
    // Understood again: the run of misunderstandings starts over, so one more does not hand off.
    expect(kinds(await say(h, 'sms', from, 'Hello'))).toEqual(['greeting']);
    expect(kinds(await say(h, 'sms', from, 'What is the weather in Paris?'))).toEqual(['not_understood']);
  });

  it('renders one answer per channel: SMS text with link, app cards and quick replies, WeChat template fields, voice keys', async () => {
    const d = await createDebtor(h, 'render-1', { locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone: '+8613800138001', wechatOpenId: 'o-render-1', appUserId: 'app-render-1' } });
    await createBill(h, d.externalId, 'render-1-a', '1280.50', 'CNY', '2026-02-25');
    const sms = await say(h, 'sms', { phone: '+8613800138001' }, '给我发个还款链接');
    expect(sms.replies[0]!.text).toMatch(/您可以通过以下安全链接还款 1280\.50 CNY：\nhttp\S+\/pay\?token=/);
    expect(sms.replies[0]).not.toHaveProperty('cards');
    const app = await say(h, 'app', { appUserId: 'app-render-1' }, '我还欠多少钱？');
    expect(app.replies[0]!.cards[0].rows).toContainEqual({ label: 'render-1-a', value: '1280.50 CNY，已于2026-02-25到期' });
    expect(app.replies[0]!.quickReplies.length).toBeGreaterThan(0);
    const wechat = await say(h, 'wechat', { wechatOpenId: 'o-render-1' }, '我还欠多少钱？');
    expect(wechat.replies[0]!.template).toMatchObject({ keywords: expect.arrayContaining(['render-1-a: 1280.50 CNY，已于2026-02-25到期']) });
    const voice = await say(h, 'voice', { phone: '+8613800138001' }, '你好');
    expect(voice.replies[0]!.menu.map((m: { digit: string }) => m.digit)).toEqual(['1', '2', '3', '4']);
    expect(voice.replies[0]!.text.length).toBeLessThan(200);
  });

  it('bad input: blank, binary and oversized text is a 400 naming the field; emoji-only and mixed-language messages get an answer', async () => {
    const d = await createDebtor(h, 'bad-1', { identities: { phone: '+14155550114' } });
    const from = { phone: '+14155550114' };
    const inboundEvents = async () => (await h.app.db.selectFrom('interaction_events').select('id').where('customer_id', '=', d.id).execute()).length;
    for (const text of ['', '   \n ', 'ab\u0000\u0001cd', 'x'.repeat(4001)]) {
      const r = await h.call('POST', '/v1/inbound', { channel: 'sms', from, text });
      expect(r.status, text.slice(0, 10)).toBe(400);
      expect(r.body.error.details[0].field).toMatch(/text/);
    }
    // A rejected message writes nothing.
    expect(await inboundEvents()).toBe(0);
    const emoji = await say(h, 'sms', from, '😀😀😀');
    expect(emoji.status).toBe(200);
    expect(emoji.replies[0]!.text).toContain('I could not read that message');
    const mixed = await say(h, 'sms', from, 'I want 分期 please');
    expect(mixed.status).toBe(200);
    expect(mixed.replies.length).toBeGreaterThan(0);
  });
});
