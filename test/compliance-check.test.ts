import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

describe.each(DATABASE_KINDS)('POST /v1/compliance/check on %s', (kind) => {
  let h: Harness;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(kind);
    for (const role of ['operator', 'agent', 'analyst', 'auditor'] as const) keys[role] = (await createApiKey(h.app.db, h.app.clock, { name: role, role }, 'test')).key;
  });
  afterAll(async () => h?.close());

  const check = (body: unknown, key?: string) => h.call('POST', '/v1/compliance/check', body, key);

  it('blocks a doorstep threat written in traditional characters and quotes the original words', async () => {
    const res = await check({ text: '再不還錢，我們就派人上門找你', channel: 'sms', locale: 'zh-CN' });
    expect(res.status).toBe(200);
    expect(res.body.allowed).toBe(false);
    expect(res.body.violations).toContainEqual({ rule: 'doorstep.visit_zh', family: 'doorstep_visit', severity: 'block', match: '上門' });
  });

  it('allows a neutral statement of consequences, in both languages', async () => {
    const zh = await check({ text: '您的账单已逾期，逾期可能影响您的信用记录。回复TD退订', channel: 'sms', locale: 'zh-CN' });
    expect(zh.body.allowed).toBe(true);
    expect(zh.body.violations.filter((v: { severity: string }) => v.severity !== 'warn')).toEqual([]);
    const en = await check({ text: 'Late payment may be reported to the credit bureau as permitted by law. Reply STOP to opt out.', channel: 'sms', locale: 'en' });
    expect(en.body.allowed).toBe(true);
    expect(en.body.violations.filter((v: { severity: string }) => v.severity !== 'warn')).toEqual([]);
  });

  it('reports a missing opt-out on SMS and a missing AI mark on model-written text', async () => {
    const res = await check({ text: 'Your payment is overdue.', channel: 'sms', locale: 'en', aiGenerated: true });
    const rules = res.body.violations.map((v: { rule: string }) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['missing.opt_out', 'missing.ai_mark', 'missing.sender_identity']));
    expect(res.body.allowed).toBe(false);
  });

  it('is open to admin, operator, agent and analyst, not to auditors', async () => {
    const body = { text: 'hello', channel: 'app', locale: 'en' };
    for (const role of ['operator', 'agent', 'analyst']) expect((await check(body, keys[role])).status).toBe(200);
    expect((await check(body, keys.auditor)).status).toBe(403);
    expect((await check(body, 'not-a-key')).status).toBe(401);
  });

  it('names the bad field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ channel: 'sms', locale: 'en' }, 'text'],
      [{ text: 42, channel: 'sms', locale: 'en' }, 'text'],
      [{ text: 'x', channel: 'fax', locale: 'en' }, 'channel'],
      [{ text: 'x', channel: 'sms', locale: 'fr' }, 'locale'],
      [{ text: 'x', channel: 'sms', locale: 'en', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await check(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.type).toBe('validation');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('refuses text over 10,000 characters with a clear error, counting characters, not UTF-16 units', async () => {
    const over = await check({ text: 'a'.repeat(10_001), channel: 'app', locale: 'en' });
    expect(over.status).toBe(400);
    expect(over.body.error.details).toEqual([{ field: 'text', reason: 'is 10001 characters long; the scanner accepts at most 10000' }]);
    // 10,000 astral characters are 20,000 UTF-16 units but still 10,000 characters: accepted.
    const astral = await check({ text: '𝐤'.repeat(10_000), channel: 'app', locale: 'en' });
    expect(astral.status).toBe(200);
  });

  it('survives hostile input: lone surrogates, control characters, NUL, emoji, right-to-left marks', async () => {
    const text = `\uD800\uDFFF\uDC00 \u0000\u0001\u202E 😀👍🏽 \uFFFF\uFEFF kill\u0000 you 上\uD83D门`;
    const res = await check({ text, channel: 'app', locale: 'en' });
    expect(res.status).toBe(200);
    expect(res.body.violations.map((v: { rule: string }) => v.rule)).toEqual(expect.arrayContaining(['threat.violence_en', 'doorstep.visit_zh']));
  });
});
