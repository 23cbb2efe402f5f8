import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessageContent } from '../src/compliance/scanner/index.js';
import { verifyAuditChain } from '../src/compliance/audit-log.js';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import type { CaseStage, Channel } from '../src/db/schema.js';
import { shippedRenderer } from '../src/messaging/index.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { recordingProvider } from './support/recording-provider.js';

const provider = recordingProvider('gate-test');
const STAGES: CaseStage[] = ['pre_due', 'm1', 'm2', 'm3_plus', 'written_off'];

describe.each(DATABASE_KINDS)('the compliance gate on %s', (kind) => {
  let h: Harness;
  let customerId: string;

  beforeAll(async () => {
    h = await startHarness(kind, {}, { providerFor: () => provider, workerId: 'gate' });
    const customer = await h.call('POST', '/v1/customers', { externalId: 'gate-1', locale: 'zh-CN', timezone: 'Asia/Shanghai', identities: { phone: '+8613800138000', email: 'gate@example.com' } });
    expect(customer.status).toBeLessThan(300);
    customerId = customer.body.id;
  });
  afterAll(async () => h?.close());

  const attempt = (key: string, channel: Channel, content: Record<string, unknown>) => ({
    idempotencyKey: key, customerId, receivableIds: [], channel, templateId: 't-gate', content, dueAt: h.app.clock.now(), decision: { policy: 'demo@1', rule: 'stage-m1-sms', reason: 'planned' },
  });
  const row = (key: string) => h.app.db.selectFrom('contact_attempts').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

  it('blocks a threat before the provider sees it, records the rule in the decision, and audits it; a clean message is sent', async () => {
    const threat = attempt('gate-threat', 'sms', { text: '您好，您的账单已逾期。再不还钱我们就上門找你。回复TD退订', locale: 'zh-CN' });
    const clean = attempt('gate-clean', 'sms', { text: '您好，您的账单已逾期，请尽快还款。逾期可能影响您的信用记录。回复TD退订', locale: 'zh-CN' });
    // The threat hides in the subject line only; the body is clean.
    const subject = attempt('gate-subject', 'email', { subject: 'F I N A L   W A R N I N G', text: 'Your payment is overdue. You can unsubscribe at any time.', html: '<p>Your payment is overdue.</p>', locale: 'en' });
    await scheduleAttempts(h.app.db, h.app.clock.now(), [threat, clean, subject]);
    await h.advance(1);

    const sentKeys = provider.received.map((m) => m.idempotencyKey);
    expect(sentKeys).toContain('gate-clean');
    expect(sentKeys).not.toContain('gate-threat');
    expect(sentKeys).not.toContain('gate-subject');

    const blocked = await row('gate-threat');
    expect(blocked.status).toBe('blocked');
    expect(blocked.sent_at).toBeNull();
    expect(blocked.decision).toMatchObject({ rule: 'doorstep.visit_zh', outcome: 'blocked', planned: { rule: 'stage-m1-sms' }, compliance: { rule: 'doorstep.visit_zh', family: 'doorstep_visit', severity: 'block', match: '上門' } });
    expect((await row('gate-subject')).decision).toMatchObject({ rule: 'intimidation.pressure_en', compliance: { match: 'F I N A L   W A R N I N G' } });
    expect((await row('gate-clean')).status).toBe('sent');

    const messages = await h.call('GET', `/v1/messages?customerId=${customerId}&status=blocked`);
    expect(messages.status).toBe(200);
    const listed = messages.body.items.find((m: { id: string }) => m.id === blocked.id);
    expect(listed).toMatchObject({ status: 'blocked', decision: { rule: 'doorstep.visit_zh' } });

    const audit = await h.app.db.selectFrom('audit_log').selectAll().where('action', '=', 'message.blocked').where('subject', '=', blocked.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system:compliance-gate', details: { rule: 'doorstep.visit_zh', channel: 'sms', customerId } });
    expect((await verifyAuditChain(h.app.db)).ok).toBe(true);

    // A block is final: later passes of the worker neither send nor retry it.
    await h.advance(120);
    expect(provider.received.map((m) => m.idempotencyKey)).not.toContain('gate-threat');
    expect((await row('gate-threat')).attempt_count).toBe(1);
  });

  it('blocks model-written text without the AI mark and sends it with the mark', async () => {
    const unmarked = attempt('gate-ai-unmarked', 'app', { text: 'Hi Sam, your payment of $20.00 is overdue. Please pay when you can.', locale: 'en', aiGenerated: true });
    const marked = attempt('gate-ai-marked', 'app', { text: 'Hi Sam, your payment of $20.00 is overdue. Please pay when you can. (AI-generated)', locale: 'en', aiGenerated: true });
    await scheduleAttempts(h.app.db, h.app.clock.now(), [unmarked, marked]);
    await h.advance(1);
    expect((await row('gate-ai-unmarked')).decision).toMatchObject({ rule: 'missing.ai_mark' });
    expect((await row('gate-ai-marked')).status).toBe('sent');
  });

  it('refuses content too long to scan instead of sending it unchecked', async () => {
    await scheduleAttempts(h.app.db, h.app.clock.now(), [attempt('gate-long', 'app', { text: '请还款。'.repeat(3000), locale: 'zh-CN' })]);
    await h.advance(1);
    const long = await row('gate-long');
    expect(long.status).toBe('blocked');
    expect(long.decision).toMatchObject({ rule: 'content.unscannable' });
  });

  it('lets the shipped reminder wording through for every template, variant, stage and locale', () => {
    const renderer = shippedRenderer();
    const items = [{ amountMinor: 128050n, currency: 'CNY', dueAt: new Date('2026-02-20T16:00:00Z') }, { amountMinor: 9900n, currency: 'CNY', dueAt: new Date('2026-02-25T16:00:00Z') }];
    const channels = new Set<Channel>();
    let checked = 0;
    for (const entry of renderer.catalogue()) {
      for (const variant of renderer.variantsOf(entry.id)) for (const locale of entry.locales) for (const stage of STAGES) for (const many of [false, true]) for (const name of [null, '王小明']) {
        const channel = entry.channel as Channel;
        const content = renderer.render({
          templateId: entry.id, variant, locale, channel, stage, name, timezone: 'Asia/Shanghai', now: h.app.clock.now(), items: many ? items : items.slice(0, 1),
          payLink: 'https://recoup.example/p/abc123', unsubscribeUrl: channel === 'email' ? 'https://recoup.example/u/abc' : undefined,
        });
        const verdict = checkMessageContent(h.app.scanner, channel, { ...content, locale });
        // Only warnings may remain (no sender name is configured); nothing blocked, nothing for review.
        expect({ template: entry.id, variant, stage, locale, violations: verdict.violations.filter((v) => v.severity !== 'warn') }).toEqual({ template: entry.id, variant, stage, locale, violations: [] });
        channels.add(channel);
        checked += 1;
      }
    }
    expect([...channels].sort()).toEqual(['app', 'email', 'push', 'sms', 'voice', 'wechat']);
    expect(checked).toBeGreaterThan(100);
  });
});
