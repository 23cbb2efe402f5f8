import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMessageContent, createScanner } from '../src/compliance/scanner/index.js';
import type { Channel } from '../src/db/schema.js';
import type { MessageContent } from '../src/delivery/provider.js';
import { loadMessageRenderer, loadTemplateDir, type RenderRequest } from '../src/messaging/index.js';
import { loadPolicy } from '../src/strategy/load-policy.js';

const renderer = loadMessageRenderer('data/templates');
const CHANNELS: Channel[] = ['sms', 'email', 'push', 'wechat', 'app', 'voice'];
const due = new Date('2026-03-20T16:00:00Z');
const before = new Date('2026-03-18T03:00:00Z');
const after = new Date('2026-03-26T03:00:00Z');
const PAY = 'https://recoup.example.com/p/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_Ab';

/** Edge data: each must render every template without an empty, "undefined" or unfilled field. */
const EDGES: Record<string, Omit<RenderRequest, 'channel' | 'locale' | 'templateId' | 'variant'>> = {
  'no name, not yet due': { stage: 'pre_due', name: null, timezone: 'Asia/Shanghai', now: before, items: [{ amountMinor: 128050n, currency: 'CNY', dueAt: due }] },
  'several items, overdue, pay link': {
    stage: 'm1', name: 'Mary', timezone: 'America/New_York', now: after, payLink: PAY, unsubscribeUrl: 'https://recoup.example.com/v1/unsubscribe?token=a.b',
    items: [{ amountMinor: 5n, currency: 'USD', dueAt: due }, { amountMinor: 99_999n, currency: 'USD', dueAt: new Date('2026-03-01T05:00:00Z') }, { amountMinor: 1n, currency: 'USD', dueAt: due }],
  },
  'huge amount': { stage: 'm3_plus', name: '王伟', timezone: 'Asia/Shanghai', now: after, items: [{ amountMinor: 9_223_372_036_854_775_807n, currency: 'CNY', dueAt: due }] },
  'zero-decimal currency': { stage: 'm2', name: '佐藤', timezone: 'Asia/Tokyo', now: after, items: [{ amountMinor: 1_234_567n, currency: 'JPY', dueAt: due }] },
  'mixed currencies, blank name, unknown zone': { stage: 'm1', name: '  ', timezone: 'Nowhere/Land', now: after, items: [{ amountMinor: 100n, currency: 'GBP', dueAt: due }, { amountMinor: 7n, currency: 'JPY', dueAt: due }] },
  'markup in the name, one minor unit': { stage: 'm1', name: '<b>Bob</b> & "Co"', timezone: 'UTC', now: after, slowSpeech: true, items: [{ amountMinor: 1n, currency: 'EUR', dueAt: due }] },
};

function strings(value: unknown, path: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out);
}

const scanner = createScanner();
const allIds = renderer.catalogue();

describe('every template × locale × variant × edge case', () => {
  const cases = allIds.flatMap((entry) => entry.locales.flatMap((locale) => renderer.variantsOf(entry.id).map((variant) => ({ id: entry.id, channel: entry.channel, locale, variant }))));

  it('covers every channel in both locales with at least the three tones', () => {
    for (const channel of CHANNELS) {
      const variants = renderer.variantsOf(`reminder-${channel}`);
      expect(variants, channel).toEqual(expect.arrayContaining(['neutral', 'friendly', 'firm']));
    }
    expect(renderer.variantsOf('reminder-sms')).toEqual(expect.arrayContaining(['neutral-short', 'friendly-short', 'firm-short']));
    expect(cases.length).toBeGreaterThan(150);
  });

  // Templates whose wording changed since their first version (see each file's `version`).
  const REWORDED: Record<string, number> = { 'reminder-sms': 2, 'reminder-email': 2 };

  it.each(Object.keys(EDGES))('%s: no field is empty, undefined or unfilled; the amount is stated; the gate allows it', (edge) => {
    for (const c of cases) {
      const content = renderer.render({ ...EDGES[edge]!, channel: c.channel, locale: c.locale, templateId: c.id, variant: c.variant });
      const where = `${c.id} ${c.locale} ${c.variant}`;
      const fields: Array<[string, string]> = [];
      strings(content, 'content', fields);
      for (const [path, value] of fields) {
        expect(value.trim(), `${where} ${path}`).not.toBe('');
        expect(value, `${where} ${path}`).not.toMatch(/undefined|null|NaN|\{\{|\}\}|\[object/);
      }
      expect(content.rendering, where).toMatchObject({ version: REWORDED[content.rendering!.templateId] ?? 1, variant: c.variant });
      // Every message states what is owed, in the debtor's own money format.
      expect(JSON.stringify(content), where).toMatch(c.locale === 'zh-CN' ? /¥|US\$|JP¥|£|€|CN¥/ : /\$|¥|£|€/);
      const verdict = checkMessageContent(scanner, c.channel, { ...content, locale: c.locale });
      expect(verdict.violations.filter((v) => v.severity === 'block'), where).toEqual([]);
    }
  });
});

const render = (channel: Channel, locale: string, extra: Partial<RenderRequest> = {}): MessageContent =>
  renderer.render({ ...EDGES['several items, overdue, pay link']!, channel, locale, templateId: null, ...extra });

describe('channels', () => {
  it('SMS: sender first, opt-out last, the pay link verbatim, and parts counted per encoding', () => {
    const zh = render('sms', 'zh-CN', { name: '王伟', items: [{ amountMinor: 128050n, currency: 'CNY', dueAt: due }], timezone: 'Asia/Shanghai' });
    expect(zh.text).toMatch(/^【Recoup】王伟您好，您的账单¥1,280\.50已于3月20日到期，已逾期6天/);
    expect(zh.text).toContain(`还款链接：${PAY}`);
    expect(zh.text.endsWith('回复TD退订')).toBe(true);
    expect(zh.rendering).toMatchObject({ smsEncoding: 'UCS-2', smsSegments: Math.ceil(zh.text.length / 67) });
    const en = render('sms', 'en', { variant: 'neutral-short', items: [{ amountMinor: 4250n, currency: 'GBP', dueAt: due }], timezone: 'Europe/London' });
    expect(en.text).toBe(`Recoup: £42.50 was due 20 March 2026, please pay now. ${PAY} Reply STOP to opt out.`);
    // The short English variant with its pay link is one GSM-7 part.
    expect(en.rendering).toMatchObject({ smsEncoding: 'GSM-7', smsSegments: 1 });
  });

  it('email: subject, text and HTML parts, escaped name, linked pay link, unsubscribe footer and header', () => {
    const mail = render('email', 'en', { name: '<b>Bob</b>' });
    expect(mail.subject).toBe('Your payment is overdue');
    expect(mail.text).toContain('3 payments ($0.05, $999.99, $0.01) were due on 28 February 2026');
    expect(mail.text).toMatch(/You can unsubscribe from these emails at any time\. https:\/\/recoup\.example\.com\/v1\/unsubscribe\?token=a\.b$/);
    expect(mail.html).not.toContain('<b>Bob');
    expect(mail.html).toContain('&#60;b&#62;Bob');
    expect(mail.html).toContain(`<a href="${PAY}">${PAY}</a>`);
    expect(mail.html).toContain('<a href="https://recoup.example.com/v1/unsubscribe?token=a.b">Unsubscribe</a>');
    expect(mail.unsubscribeUrl).toBe('https://recoup.example.com/v1/unsubscribe?token=a.b');
  });

  it('voice: the call opens with who-answered only; the reminder and its 1/2/0 menu come after, slower for those who need it', () => {
    const call = render('voice', 'zh-CN', { slowSpeech: false });
    // Whoever answers hears a name and a question, never the debt: no amount, no date, no menu.
    expect(call.twiml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Gather numDigits="1" action="\/v1\/voice\/menu\?check=1" actionOnEmptyResult="true"><Say language="zh-CN">您好，这里是Recoup，有一条消息要转达给/);
    expect(call.twiml).not.toMatch(/¥|\d月|按0/);
    expect(call.disclosureTwiml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Gather numDigits="1" action="\/v1\/voice\/menu"><Say language="zh-CN">/);
    expect(call.disclosureTwiml).toContain('查询账单请按1，了解分期请按2，人工服务请按0。');
    expect(call.text).toContain('查询账单请按1，了解分期请按2，人工服务请按0。');
    expect(call.twiml).not.toContain('prosody');
    const slow = render('voice', 'en', { slowSpeech: true, name: 'A & B' });
    expect(slow.twiml).toContain('<Say language="en-US"><prosody rate="slow">Hello, this is Recoup with a message for A &#38; B. If you are A &#38; B, please press 1.');
    expect(slow.disclosureTwiml).toContain('<Say language="en-US"><prosody rate="slow">');
    expect(slow.text).toContain('Press 1 for your bill, 2 for instalment options, or 0 for an agent.');
    // No name on file: the question is for the account holder.
    expect(render('voice', 'en', { name: null }).twiml).toContain('a message for the account holder. If you are the account holder, please press 1.');
  });

  it('push: title and body within their limits, even with a very long name', () => {
    for (const variant of renderer.variantsOf('reminder-push')) {
      const push = render('push', 'en', { variant, name: 'N'.repeat(200), items: [{ amountMinor: 9_223_372_036_854_775_807n, currency: 'USD', dueAt: due }] });
      expect([...push.title!].length, variant).toBeLessThanOrEqual(50);
      expect([...push.text].length, variant).toBeLessThanOrEqual(150);
    }
  });

  it('WeChat: the registered template id, keyword fields for amount and date, the pay link as its URL', () => {
    const wechat = render('wechat', 'zh-CN', { items: [{ amountMinor: 128050n, currency: 'CNY', dueAt: due }], timezone: 'Asia/Shanghai' });
    expect(wechat.wechatTemplate).toMatchObject({ templateId: 'recoup-payment-reminder', url: PAY, data: { keyword1: '¥1,280.50', keyword2: '3月20日' } });
    expect(wechat.wechatTemplate!.data.first).toContain('已逾期6天');
    expect(render('wechat', 'en', { payLink: undefined }).wechatTemplate).not.toHaveProperty('url');
  });

  it('app: a structured card with exact decimal amounts, local dates and actions', () => {
    const app = render('app', 'en');
    expect(app.card).toMatchObject({
      kind: 'reminder', stage: 'm1', total: '$1,000.05',
      items: [{ amount: '0.05', currency: 'USD', dueAt: due.toISOString(), dueDate: '20 March 2026' }, { amount: '999.99', currency: 'USD' }, { amount: '0.01' }],
      actions: [{ kind: 'pay', url: PAY }, { kind: 'instalments', parts: '3', firstAmount: '$333.35' }],
      aiGenerated: false,
    });
    // A model's rewrite of the body is marked in the text and flagged on the card and the content.
    const prepared = renderer.prepare({ ...EDGES['several items, overdue, pay link']!, channel: 'app', locale: 'zh-CN' });
    const ai = renderer.relayout(prepared, '您的3笔账单共US$1,000.05已到期。', true);
    expect(ai.text).toBe('【AI生成】您的3笔账单共US$1,000.05已到期。');
    expect(ai.card).toMatchObject({ body: ai.text, aiGenerated: true });
    expect(ai.aiGenerated).toBe(true);
  });
});

describe('variants, versions and personalisation', () => {
  it('renders the chosen variant, records template, version and variant, and falls back to the default for an unknown one', () => {
    const texts = new Set(['neutral', 'friendly', 'firm'].map((variant) => render('sms', 'en', { variant }).text));
    expect(texts.size).toBe(3);
    const sms = render('sms', 'en', { variant: 'friendly', templateId: 'm1-sms-en' });
    expect(sms.text.length).toBeGreaterThan(160);
    expect(sms.rendering).toEqual({ templateId: 'reminder-sms', version: 2, variant: 'friendly', smsEncoding: 'GSM-7', smsSegments: Math.ceil(sms.text.length / 153) });
    expect(render('sms', 'en', { variant: 'no-such-variant' }).rendering?.variant).toBe('neutral');
  });

  it('speaks of several payments as "them", in the SMS and the email', () => {
    expect(render('sms', 'en', { variant: 'friendly' }).text).toMatch(/please settle them.*split them into/);
    const email = render('email', 'en', { variant: 'friendly' }) as { text: string };
    expect(email.text).toMatch(/please settle them\./);
    expect(email.text).not.toMatch(/settle it|split it/);
  });

  it('a locale-bound alias writes in its locale; an unknown or wrong-channel id uses the channel fallback', () => {
    expect(render('sms', 'en', { templateId: 'm1-sms-zh' }).text).toMatch(/^【Recoup】/);
    expect(render('sms', 'zh-CN', { templateId: 'm1-email-zh' }).rendering?.templateId).toBe('reminder-sms');
    expect(render('push', 'fr', { templateId: 'nope' }).title).toBe('Payment overdue');
  });

  it('says only this customer\'s facts: nothing carries over from the message rendered before', () => {
    const first = render('email', 'en', { name: 'Alice Example', items: [{ amountMinor: 777_777n, currency: 'USD', dueAt: due }] });
    const second = render('email', 'en', { name: null, items: [{ amountMinor: 100n, currency: 'USD', dueAt: due }] });
    expect(first.text).toContain('Alice Example');
    expect(JSON.stringify(second)).not.toMatch(/Alice|7,777\.77/);
  });
});

describe('the policy catalogue', () => {
  it('data/policies/default-templates.json is exactly the catalogue of the shipped templates', () => {
    expect(JSON.parse(readFileSync('data/policies/default-templates.json', 'utf8'))).toEqual(renderer.catalogue());
  });

  it('the shipped policy compiles against it, and names only templates that render', () => {
    const source = readFileSync('data/policies/default.yaml', 'utf8');
    const policy = loadPolicy(source, { file: 'default.yaml', templates: renderer.catalogue() });
    expect(policy.ok).toBe(true);
    const named = new Set([...source.matchAll(/\b((?:pre-due|m\d)-[a-z]+(?:-combined)?-(?:zh|en))\b/g)].map((m) => m[1]!));
    expect(named.size).toBe(35);
    for (const id of named) expect(renderer.variantsOf(id), id).not.toEqual([]);
  });
});

describe('refusing bad templates at load', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function broken(file: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'recoup-templates-'));
    dirs.push(dir);
    cpSync('data/templates', dir, { recursive: true });
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const changed = edit(text);
    expect(changed).not.toBe(text);
    writeFileSync(path, changed);
    const loaded = loadTemplateDir(dir);
    if (loaded.ok) throw new Error('loaded');
    return loaded.error.message;
  }

  it('names the file, line, path and column of an unknown variable', () => {
    const message = broken('sms.yaml', (t) => t.replace('{{#name}}Hi {{name}}, {{/name}}', '{{#name}}Hi {{nmae}}, {{/name}}'));
    expect(message).toMatch(/sms\.yaml:\d+ templates\.reminder-sms\.variants\.neutral\.en\.text: unknown variable "nmae" .*\(column 13\)/);
  });

  it('refuses a variant missing a locale, and a locale file missing a key', () => {
    expect(broken('push.yaml', (t) => t.replace(/      firm:\n        zh-CN:\n.*\n.*\n/, '      firm:\n'))).toMatch(/push\.yaml:\d+ templates\.reminder-push\.variants\.firm\.zh-CN: missing locale zh-CN/);
    expect(broken('locales.yaml', (t) => t.replace('  smsOptOut: "Reply STOP to opt out."\n', ''))).toMatch(/locales\.yaml:\d+ en\.smsOptOut: is missing/);
  });

  it('refuses an optional value used unguarded, a missing field, an unknown field, a bad version and a duplicate id', () => {
    const message = broken('voice.yaml', (t) =>
      t
        .replace('    version: 1\n', '    version: 0\n')
        .replace('speech: "Hello, this is Recoup billing. {{#name}}', 'speech: "Hello {{payLink}}, this is Recoup billing. {{#name}}')
        .replace(/(zh-CN:\n\s+)speech: "您好，这里是Recoup账单服务。\{\{#name/, '$1spoken: "您好，这里是Recoup账单服务。{{#name'),
    );
    expect(message).toMatch(/templates\.reminder-voice\.version: must be a whole number/);
    expect(message).toMatch(/variants\.neutral\.en\.speech: payLink may be absent/);
    expect(message).toMatch(/variants\.neutral\.zh-CN\.spoken: unknown field for voice/);
    expect(message).toMatch(/variants\.neutral\.zh-CN\.speech: is missing/);
    expect(broken('app.yaml', (t) => t.replace('  pre-due-app-zh:', '  pre-due-sms-zh:'))).toMatch(/aliases\.pre-due-sms-zh: this id is defined twice/);
  });

  it('refuses a channel left without any template', () => {
    const message = broken('wechat.yaml', (t) => t.replace('channel: wechat', 'channel: app').replace('fallback: reminder-wechat', 'fallback: reminder-wechat'));
    expect(message).toMatch(/wechat: no template for channel wechat/);
  });
});
