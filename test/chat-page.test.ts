import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

/**
 * The debtor's chat page behind the short link in a reminder: the planner writes the link, the link
 * opens the page, and the page's two public endpoints talk to the assistant as that customer only.
 */
describe.each(DATABASE_KINDS)('the chat page on %s', (kind) => {
  let h: Harness;
  let customerId: string;
  let token: string;

  /** A request as the debtor's phone makes it: no API key. */
  const anonymous = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await h.server.inject({ method, url, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }) });
    return { status: response.statusCode, text: response.body, json: () => response.json() };
  };

  beforeAll(async () => {
    // Without the shipped policy's 5% no-contact holdout, which the debtor's random id can land in.
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() });
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'chat-c', locale: 'en', timezone: 'Asia/Shanghai', identities: { phone: '+8613800003333' }, consents: { sms: true } } },
        { type: 'receivable', data: { externalId: 'chat-r', customerExternalId: 'chat-c', kind: 'bill', amount: '1280.50', currency: 'CNY', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    customerId = res.body.results[0].id;
    // The planner runs as the clock passes the hour; the reminder is planned for the debtor's contact
    // hours and worded, link included, when it is sent.
    let texts: string[] = [];
    for (let hour = 0; hour < 24 && texts.length === 0; hour++) {
      await h.advance(60);
      const messages = await h.call('GET', `/v1/messages?customerId=${customerId}&channel=sms&status=sent&limit=10`);
      texts = messages.body.items.map((m: { text: string | null }) => m.text ?? '');
    }
    const link = texts.map((t) => /https?:\/\/\S+\/p\/([A-Za-z0-9_-]{40})/.exec(t)).find(Boolean);
    expect(link, texts.join('\n')).toBeTruthy();
    token = link![1]!;
  });
  afterAll(async () => h?.close());

  it('writes a short signed link to the chat page into the SMS reminder', async () => {
    expect(h.app.payLinks.verify(token, h.app.clock.now())).toBe(customerId);
  });

  it('serves the page from the link, and a clear page with nothing else for an altered one', async () => {
    const page = await anonymous('GET', `/p/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="chat-root"');
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const refused = await anonymous('GET', `/p/${altered}`);
    expect(refused.status).toBe(410);
    expect(refused.text).toContain('This link has expired or is not valid');
    expect(refused.text).not.toContain('1280.50 CNY');
    expect(refused.text).not.toContain('chat-root');
  });

  it('opens on what is owed, as cards, without an API key', async () => {
    const opened = await anonymous('POST', '/v1/chat/open', { token });
    expect(opened.status, opened.text).toBe(200);
    const body = opened.json();
    expect(body.locale).toBe('en');
    expect(body.replies[0].kind).toBe('balance');
    expect(JSON.stringify(body.replies[0].cards)).toContain('1280.50 CNY');
    expect(body.replies[0].quickReplies.length).toBeGreaterThan(0);
  });

  it('compares instalment plans when asked on the page, and keeps the conversation with the customer', async () => {
    const asked = await anonymous('POST', '/v1/chat/messages', { token, sessionId: 'browser-tab-1', text: 'Instalment options' });
    expect(asked.status, asked.text).toBe(200);
    const body = asked.json();
    expect(body.handledAs).toBe('assistant');
    expect(body.replies[0].kind).toBe('instalment_options');
    expect(body.replies[0].cards.length).toBeGreaterThanOrEqual(2);
    const conversation = await h.call('GET', `/v1/conversations/${customerId}`);
    expect(conversation.status).toBe(200);
    expect(JSON.stringify(conversation.body)).toContain('Instalment options');
  });

  it('refuses an altered or missing token and a bad session id with the field and the reason', async () => {
    const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const open = await anonymous('POST', '/v1/chat/open', { token: altered });
    expect(open.status).toBe(401);
    expect(open.json().error.details[0].field).toBe('token');
    const message = await anonymous('POST', '/v1/chat/messages', { token: altered, sessionId: 'browser-tab-1', text: 'What do I owe?' });
    expect(message.status).toBe(401);
    const badSession = await anonymous('POST', '/v1/chat/messages', { token, sessionId: 'has spaces!', text: 'hi' });
    expect(badSession.status).toBe(400);
    expect(JSON.stringify(badSession.json().error.details)).toContain('sessionId');
  });
});

/** The pay link's landing page when no payment page is configured: a stand-in checkout in the demo only. */
describe('the sandbox pay page', () => {
  let demo: Harness;
  let plain: Harness;
  beforeAll(async () => {
    [demo, plain] = await Promise.all([startHarness('pglite', { demo: true }), startHarness('pglite')]);
  });
  afterAll(async () => {
    await demo?.close();
    await plain?.close();
  });

  async function payLinkFor(h: Harness, externalId: string): Promise<string> {
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId, locale: 'en', timezone: 'UTC', identities: { phone: '+14155550166' }, consents: { sms: true } } },
        { type: 'receivable', data: { externalId: `${externalId}-r`, customerExternalId: externalId, kind: 'bill', amount: '75.20', currency: 'USD', dueAt: '2026-02-20' } },
      ],
    });
    const token = h.app.payLinks.urlFor(res.body.results[0].id, h.app.clock.now()).split('/p/')[1]!;
    const answer = await h.server.inject({ method: 'POST', url: '/v1/chat/messages', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token, sessionId: 'pay-tab-1', text: 'Send me a payment link' }) });
    const link = answer.json().replies.find((r: { kind: string }) => r.kind === 'pay_link').link.url as string;
    return new URL(link).pathname + new URL(link).search;
  }

  it('in the demo, shows the amount, takes the payment once, and the debt is settled', async () => {
    const path = await payLinkFor(demo, 'pay-demo');
    const shown = await demo.server.inject({ method: 'GET', url: path });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('75.20 USD');
    for (let i = 0; i < 2; i++) {
      const paid = await demo.server.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      expect(paid.statusCode).toBe(200);
      expect(paid.body).toContain('id="paid"');
    }
    const receivable = await demo.call('GET', '/v1/receivables?externalId=pay-demo-r');
    const payments = await demo.app.db.selectFrom('payments').select(['amount_minor']).where('external_id', 'like', 'sandbox-%').execute();
    expect(payments).toEqual([{ amount_minor: 7520n }]);
    expect(receivable.body.items.map((r: { status: string }) => r.status)).toEqual(['paid']);
    const after = await demo.server.inject({ method: 'GET', url: path });
    expect(after.body).toContain('Nothing to pay');
  });

  it('outside the demo, says online payment is not set up, and takes nothing', async () => {
    const path = await payLinkFor(plain, 'pay-plain');
    const shown = await plain.server.inject({ method: 'GET', url: path });
    expect(shown.statusCode).toBe(404);
    expect(shown.body).toContain('Online payment is not set up');
    const posted = await plain.server.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(posted.statusCode).toBe(404);
    expect(await plain.app.db.selectFrom('payments').select('id').execute()).toEqual([]);
  });
});
