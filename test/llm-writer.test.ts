import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScanner } from '../src/compliance/scanner/index.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createModelWriter, loadMessageRenderer, scannerGate, writeMessage, type RenderRequest, type WriteDeps } from '../src/messaging/index.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

/** A local server speaking the chat-completions protocol; each test sets how it answers. */
type Answer = (request: { body: Record<string, unknown>; headers: IncomingMessage['headers'] }) => { status?: number; body: string; delayMs?: number };

let answer: Answer;
let requests: Array<{ body: Record<string, unknown>; headers: IncomingMessage['headers'] }>;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
      const request = { body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers };
      requests.push(request);
      const reply = answer(request);
      const send = () => res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(reply.body);
      if (reply.delayMs) {
        const timer = setTimeout(send, reply.delayMs);
        res.on('close', () => clearTimeout(timer));
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests = [];
});

const completion = (content: unknown) => JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

const renderer = loadMessageRenderer('data/templates');
const scanner = createScanner();
const PAY = 'https://recoup.example.com/p/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_Ab';
const zhSms: RenderRequest = {
  channel: 'sms', locale: 'zh-CN', stage: 'm1', templateId: 'm1-sms-zh', variant: 'neutral', name: '王伟', timezone: 'Asia/Shanghai',
  now: new Date('2026-03-26T03:00:00Z'), items: [{ amountMinor: 128050n, currency: 'CNY', dueAt: new Date('2026-03-20T16:00:00Z') }], payLink: PAY,
};
const deps = (extra: Partial<WriteDeps> = {}): WriteDeps => ({ renderer, gate: scannerGate(scanner), writer: createModelWriter({ url, model: 'test-model', apiKey: 'sk-test' }), ...extra });
const template = renderer.render(zhSms);

describe('the language-model writer', () => {
  it('uses a rewrite that keeps every fact, marks it AI-generated, and passes the gate', async () => {
    const rewrite = `王伟您好，提醒您：账单¥1,280.50已于3月20日到期，已逾期6天，请尽快处理。还款链接：${PAY}`;
    answer = () => ({ body: completion(`“${rewrite}”`) });
    const written = await writeMessage(deps(), zhSms);
    expect(written.source).toBe('model');
    expect(written.content.text).toBe(`【Recoup】【AI生成】${rewrite} 回复TD退订`);
    expect(written.content.aiGenerated).toBe(true);
    expect(written.content.rendering).toMatchObject({ templateId: 'reminder-sms', version: 2, variant: 'neutral', smsEncoding: 'UCS-2' });
    // What the endpoint was asked: the model, the key, the template's text, and the facts to keep verbatim.
    expect(requests).toHaveLength(1);
    const sent = requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body.model).toBe('test-model');
    const messages = sent.body.messages as Array<{ role: string; content: string }>;
    expect(messages[1]).toEqual({ role: 'user', content: template.text.replace('【Recoup】', '').replace(' 回复TD退订', '') });
    for (const fact of ['¥1,280.50', '3月20日', '6', PAY]) expect(messages[0]!.content).toContain(`- ${fact}`);
  });

  it.each([
    ['a changed amount', '王伟您好，账单¥1,280.00已于3月20日到期，已逾期6天。还款链接：PAY', /dropped or changed "¥1,280.50"/],
    ['a dropped pay link', '王伟您好，账单¥1,280.50已于3月20日到期，已逾期6天，请尽快还款。', /dropped or changed "https:/],
    ['an added link', '王伟您好，账单¥1,280.50已于3月20日到期，已逾期6天。还款链接：PAY 或 https://evil.example/pay', /added a link/],
    ['an added number', '王伟您好，账单¥1,280.50已于3月20日到期，已逾期6天，另收滞纳金50元。还款链接：PAY', /added the number 50/],
  ])('falls back to the template on %s', async (_, rewrite, reason) => {
    answer = () => ({ body: completion(rewrite.replace('PAY', PAY)) });
    const written = await writeMessage(deps(), zhSms);
    expect(written).toEqual({ source: 'template', content: template, fallback: expect.stringMatching(reason) });
    expect(written.content.aiGenerated).toBeUndefined();
  });

  it('falls back when the compliance gate blocks the rewrite', async () => {
    answer = () => ({ body: completion(`王伟，账单¥1,280.50已于3月20日到期，已逾期6天，再不还款我们就上门催收。还款链接：${PAY}`) });
    const written = await writeMessage(deps(), zhSms);
    expect(written).toMatchObject({ source: 'template', content: template, fallback: expect.stringMatching(/^compliance gate: /) });
  });

  it.each([
    ['a 500', () => ({ status: 500, body: '{"error":{"message":"overloaded"}}' }), /answered 500/],
    ['a 401', () => ({ status: 401, body: '{}' }), /answered 401/],
    ['garbage instead of JSON', () => ({ body: '<html>Bad gateway</html>' }), /not JSON/],
    ['JSON without a message', () => ({ body: '{"choices":[]}' }), /no choices\[0\]\.message\.content/],
    ['a non-text content', () => ({ body: completion(42) }), /no choices\[0\]\.message\.content/],
    ['an empty answer', () => ({ body: completion('  ') }), /empty/],
  ])('falls back to the template on %s', async (_, reply, reason) => {
    answer = reply;
    const written = await writeMessage(deps(), zhSms);
    expect(written).toEqual({ source: 'template', content: template, fallback: expect.stringMatching(reason) });
  });

  it('gives up on a slow endpoint within the 2 s budget and sends the template', async () => {
    answer = () => ({ body: completion('too late'), delayMs: 5000 });
    const started = performance.now();
    const written = await writeMessage(deps(), zhSms);
    const elapsed = performance.now() - started;
    expect(written).toEqual({ source: 'template', content: template, fallback: 'timed out' });
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('falls back when nothing listens at the configured URL', async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    const port = (idle.address() as AddressInfo).port;
    await new Promise<void>((resolve) => idle.close(() => resolve()));
    const written = await writeMessage(deps({ writer: createModelWriter({ url: `http://127.0.0.1:${port}`, model: 'm' }) }), zhSms);
    expect(written).toMatchObject({ source: 'template', fallback: expect.stringMatching(/request failed/) });
  });

  it('rewrites an English email body and lays it out again with the mark, footer and unsubscribe link', async () => {
    const request: RenderRequest = { ...zhSms, channel: 'email', locale: 'en', templateId: 'm1-email-en', name: 'Mary', timezone: 'America/New_York', unsubscribeUrl: 'https://recoup.example.com/v1/unsubscribe?token=t.s' };
    answer = ({ body }) => {
      const original = (body.messages as Array<{ content: string }>)[1]!.content;
      expect(original).toContain('CN¥1,280.50');
      return { body: completion(`Hello Mary,\n\nYour payment of CN¥1,280.50 was due on 20 March 2026. Please pay when you can, or split it into 3 monthly payments, the first of CN¥426.84.\n\nPay online: ${PAY}`) };
    };
    const written = await writeMessage(deps(), request);
    expect((written as { fallback?: string }).fallback).toBeUndefined();
    expect(written).toMatchObject({ source: 'model' });
    expect(written.content.text).toMatch(/^\[AI generated\] Hello Mary,/);
    expect(written.content.html).toContain(`<a href="${PAY}">`);
    expect(written.content.html).toContain('Unsubscribe</a>');
    expect(written.content.unsubscribeUrl).toBe('https://recoup.example.com/v1/unsubscribe?token=t.s');
  });

  it('is off by default: without a writer the template is used and no request is made', async () => {
    const written = await writeMessage(deps({ writer: undefined }), zhSms);
    expect(written).toEqual({ source: 'template', content: template });
    expect(requests).toHaveLength(0);
  });
});

describe('messageWriter config', () => {
  it('is absent unless configured, and a bad URL is refused naming the setting', () => {
    expect(loadConfig({}, {}).messageWriter).toBeUndefined();
    expect(loadConfig({ messageWriter: { url: 'http://127.0.0.1:9/v1', model: 'qwen' } }, {}).messageWriter).toEqual({ url: 'http://127.0.0.1:9/v1', model: 'qwen' });
    expect(() => loadConfig({ messageWriter: { url: 'ftp://x', model: 'm' } }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ messageWriter: { url: 'ftp://x', model: 'm' } }, {})).toThrow(/messageWriter\.url/);
  });
});

/**
 * The writer in the running system: the planner keeps each reminder's draft, the delivery worker has
 * the model word it at send time, stores the words before sending, and a retry sends the same words.
 */
describe('the language-model writer at send time', () => {
  let h: Harness;
  const provider = recordingProvider('rec', (_message, call) => (call === 1 ? { ok: false, kind: 'server_error', reason: 'gateway 503' } : { ok: true, providerMessageId: `m${call}` }));
  beforeAll(async () => {
    // Without the shipped policy's 5% no-contact holdout: a debtor's id is random, and one drawn into it
    // would never be contacted (this test's rare failure until it was seen).
    h = await startHarness('pglite', { messageWriter: { url, model: 'test-model' }, policyFile: policyWithoutControlGroup() }, { providerFor: () => provider });
  });
  afterAll(async () => h?.close());

  async function debtor(externalId: string, phone: string) {
    const res = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { externalId, name: '王伟', locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone }, consents: { sms: true } } },
        { type: 'receivable', data: { externalId: `${externalId}-r`, customerExternalId: externalId, kind: 'bill', amount: '1280.50', currency: 'CNY', dueAt: '2026-02-20' } },
      ],
    });
    expect(res.body.counts.created).toBe(2);
    return res.body.results[0].id as string;
  }
  const attemptsOf = (customerId: string) =>
    h.app.db.selectFrom('contact_attempts').select(['status', 'content', 'attempt_count']).where('customer_id', '=', customerId).where('channel', '=', 'sms').execute();
  /** Everything planned for the customer, on any channel, for a failure to say what happened instead. */
  const whatHappened = async (customerId: string) =>
    JSON.stringify({
      now: h.app.clock.now(),
      cases: await h.app.db.selectFrom('cases').select(['stage', 'status']).where('customer_id', '=', customerId).execute(),
      attempts: await h.app.db.selectFrom('contact_attempts').select(['channel', 'status', 'due_at', 'decision', 'last_error']).where('customer_id', '=', customerId).execute(),
      received: provider.received.length,
    });

  it('sends the model\'s words with the AI mark, asks once, and a retry resends the stored words', async () => {
    // A model that keeps every fact: it only puts a greeting in front of the template's text.
    answer = ({ body }) => ({ body: completion(`温馨提示：${(body.messages as Array<{ content: string }>)[1]!.content}`) });
    const id = await debtor('writer-1', '+8613800004444');
    // Planned with its draft, then sent at the first try (which the gateway fails) and at the retry.
    for (let i = 0; i < 12 && provider.received.length < 2; i++) await h.advance(30);
    expect(provider.received, await whatHappened(id)).toHaveLength(2);
    const [first, second] = provider.received;
    expect(first!.content.text).toMatch(/^【Recoup】【AI生成】温馨提示：/);
    expect(first!.content.aiGenerated).toBe(true);
    expect(second!.content.text).toBe(first!.content.text);
    expect(first!.content).not.toHaveProperty('draft');
    expect(requests).toHaveLength(1);
    const [sent] = await attemptsOf(id);
    expect(sent!.status).toBe('sent');
    expect(sent!.content).toMatchObject({ text: first!.content.text, writer: { source: 'model' } });
    expect(sent!.content).not.toHaveProperty('draft');
  });

  it('sends the template, and says why, when the model fails', async () => {
    answer = () => ({ status: 500, body: '{"error":{"message":"overloaded"}}' });
    provider.received.length = 0;
    const id = await debtor('writer-2', '+8613800005555');
    // The provider script fails the first send again, so this also shows a fallback is stored, not re-asked.
    for (let i = 0; i < 12 && provider.received.length < 2; i++) await h.advance(30);
    expect(provider.received, await whatHappened(id)).toHaveLength(2);
    expect(provider.received[0]!.content.text).not.toContain('AI生成');
    expect(provider.received[1]!.content.text).toBe(provider.received[0]!.content.text);
    expect(requests).toHaveLength(1);
    const [sent] = await attemptsOf(id);
    expect(sent!.content).toMatchObject({ writer: { source: 'template', fallback: 'endpoint answered 500' } });
  });
});
