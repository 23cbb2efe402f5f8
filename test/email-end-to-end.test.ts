import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { DATABASE_KINDS } from './support/databases.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { type Harness, startHarness } from './support/harness.js';

/** From an overdue bill to an email on a real SMTP server, and back through its unsubscribe link. */
describe.each(DATABASE_KINDS)('email reminders through SMTP on %s', (kind) => {
  let h: Harness;
  let smtp: SMTPServer;
  const received: ParsedMail[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const port = (smtp.server.address() as AddressInfo).port;
    h = await startHarness(kind, {
      policyFile: policyWithoutControlGroup(),
      publicUrl: 'https://recoup.example.com',
      providers: { email: { provider: 'smtp', host: '127.0.0.1', port, from: 'Recoup <billing@recoup.test>', timeoutMs: 5000 } },
    });
    await h.call('POST', '/v1/customers', { externalId: 'mail1', name: 'Ann', locale: 'en', timezone: 'Europe/London', identities: { email: 'ann@example.com' }, consents: { email: true } });
    await h.call('POST', '/v1/receivables', { externalId: 'mail1-r', customerExternalId: 'mail1', kind: 'bill', amount: '42.50', currency: 'GBP', dueAt: '2026-02-25' });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('delivers the reminder as HTML and text with a one-click unsubscribe that works', async () => {
    // Contact hours decide when: within two days the reminder must have gone.
    for (let hour = 0; hour < 48 && received.length === 0; hour += 1) await h.advance(60);
    const messages = await h.call('GET', '/v1/messages?channel=email&limit=100');
    expect(received).toHaveLength(1);
    const sentAt = DateTime.fromISO(messages.body.items.find((m: { status: string }) => m.status === 'sent').sentAt, { zone: 'Europe/London' });
    expect(sentAt.hour).toBeGreaterThanOrEqual(8);
    expect(sentAt.hour).toBeLessThan(21);
    const mail = received[0]!;
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('ann@example.com');
    expect(mail.text).toContain('£42.50');
    expect(mail.html).toContain('Unsubscribe');
    // mailparser turns the header into an object; the raw line is what a mail client reads.
    const header = mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line ?? '';
    const url = /<(https:\/\/recoup\.example\.com\/v1\/unsubscribe\?token=[^>]+)>/.exec(header)?.[1];
    expect(url).toBeDefined();

    // Flip the last character to a different one: replacing it with a fixed letter is a no-op when it already is that letter.
    const search = new URL(url!).search;
    const flipped = search.slice(0, -1) + (search.endsWith('A') ? 'B' : 'A');
    const tampered = await h.server.inject({ method: 'GET', url: new URL(url!).pathname + flipped });
    expect(tampered.statusCode).toBe(400);
    const clicked = await h.server.inject({ method: 'POST', url: new URL(url!).pathname + new URL(url!).search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(clicked.statusCode).toBe(200);
    expect(clicked.body).toContain('Unsubscribed');
    // The link's token is in the URL: the page is not cached and sends no referrer.
    expect(clicked.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    const view = await h.call('GET', `/v1/customers/${messages.body.items[0].customerId}`);
    expect(view.body.consents.email).toBe(false);
    expect(view.body.timeline.some((e: { kind: string }) => e.kind === 'consent.withdrawn')).toBe(true);
  });
});
