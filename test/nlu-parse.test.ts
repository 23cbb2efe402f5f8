import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../src/conversation/nlu/index.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

// The harness clock starts at 2026-03-01T00:00Z, a Sunday: 08:00 on Sunday 1 March in Shanghai.
describe.each(DATABASE_KINDS)('POST /v1/nlu/parse on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers intent, confidence, entities and sentiment, with dates against the app clock', async () => {
    const { status, body } = await h.call('POST', '/v1/nlu/parse', { text: '我想分3期，明天先还五百元', timezone: 'Asia/Shanghai' });
    expect(status).toBe(200);
    expect(body.intent).toBe('installment_options');
    expect(body.confidence).toBeGreaterThan(0);
    expect(body.confidence).toBeLessThanOrEqual(1);
    expect(body.locale).toBe('zh-CN');
    expect(body.entities).toEqual({
      dates: [{ text: '明天', date: '2026-03-02', relative: true }],
      amounts: [{ text: '五百元', value: '500', currency: 'CNY' }],
      instalments: [{ text: '分3期', count: 3 }],
    });
    expect(body.sentiment).toEqual({ label: expect.any(String), score: expect.any(Number), anger: expect.any(Number) });
  });

  it('detects English, resolves "next Friday" in UTC when no zone is given, and moves with the clock', async () => {
    const first = await h.call('POST', '/v1/nlu/parse', { text: 'I will pay 300 dollars next Friday' });
    expect(first.body.locale).toBe('en');
    expect(first.body.intent).toBe('promise_to_pay');
    expect(first.body.entities.dates[0].date).toBe('2026-03-06');
    expect(first.body.entities.amounts).toEqual([{ text: '300 dollars', value: '300', currency: 'USD' }]);
    await h.advance(60 * 24 * 2); // Tuesday 3 March
    const later = await h.call('POST', '/v1/nlu/parse', { text: 'I will pay tomorrow' });
    expect(later.body.entities.dates[0].date).toBe('2026-03-04');
  });

  it('sends out-of-scope text to out_of_scope and marks anger', async () => {
    expect((await h.call('POST', '/v1/nlu/parse', { text: 'what is the weather like today', locale: 'en' })).body.intent).toBe('out_of_scope');
    const angry = await h.call('POST', '/v1/nlu/parse', { text: 'STOP HARASSING ME YOU IDIOTS, I WILL SUE!!!' });
    expect(angry.body.sentiment.label).toBe('angry');
  });

  it.each([
    ['empty text', { text: '' }, 'text', 'must not be empty'],
    ['blank text', { text: '   \n ' }, 'text', 'must not be empty'],
    ['text over the limit', { text: 'a'.repeat(MAX_TEXT_LENGTH + 1) }, 'text', `at most ${MAX_TEXT_LENGTH} characters`],
    ['no text', {}, 'text', 'is required'],
    ['an unknown locale', { text: 'hi', locale: 'fr' }, 'locale', 'must be one of'],
    ['a bad time zone', { text: 'hi', timezone: 'Mars/Olympus' }, 'timezone', 'not an IANA time zone'],
    ['an unknown field', { text: 'hi', mood: 'happy' }, 'mood', 'is not a known field'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field, reason) => {
    const response = await h.call('POST', '/v1/nlu/parse', body);
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('validation');
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringContaining(reason) })]));
  });

  it('takes exactly the limit, counted in characters, not UTF-16 units', async () => {
    const astral = '😀'.repeat(MAX_TEXT_LENGTH); // 20,000 UTF-16 units
    expect((await h.call('POST', '/v1/nlu/parse', { text: astral })).status).toBe(200);
    expect((await h.call('POST', '/v1/nlu/parse', { text: 'x'.repeat(MAX_TEXT_LENGTH) })).status).toBe(200);
  });

  it.each([
    ['emoji only', '😡😡😡'],
    ['binary', '\u0000\u0001\u0002\u0003\uFFFD\uFFFF'],
    ['a lone surrogate', '\uD83D abc'],
    ['mixed languages', 'hello 我想 pay 分期 please 谢谢'],
    ['digits only', '1234567890'.repeat(900)],
  ])('answers %s without crashing', async (_what, text) => {
    const response = await h.call('POST', '/v1/nlu/parse', { text });
    expect(response.status).toBe(200);
    expect(typeof response.body.intent).toBe('string');
  });

  it('needs an API key', async () => {
    expect((await h.call('POST', '/v1/nlu/parse', { text: 'hi' }, 'wrong-key')).status).toBe(401);
  });
});
