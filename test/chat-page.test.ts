import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

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
    h = await startHarness(kind);
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId: 'chat-c', locale: 'en', timezone: 'Asia/Shanghai', identities: { phone: '+8613800003333' }, consents: { sms: true } } },
        { type: 'receivable', data: { externalId: 'chat-r', customerExternalId: 'chat-c', kind: 'bill', amount: '1280.50', currency: 'CNY', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    customerId = res.body.results[0].id;
    // The planner runs as the clock passes the hour; the reminder is planned for the debtor's contact hours.
    await h.advance(60);
    const messages = await h.call('GET', `/v1/messages?customerId=${customerId}&channel=sms&limit=10`);
    const texts: string[] = messages.body.items.map((m: { text: string | null }) => m.text ?? '');
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
