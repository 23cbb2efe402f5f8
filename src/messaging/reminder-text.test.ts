import { describe, expect, it } from 'vitest';
import { renderReminder } from './reminder-text.js';

const item = { amountMinor: 128050n, currency: 'CNY', dueAt: new Date('2026-03-20T16:00:00Z') };

describe('renderReminder', () => {
  it('names the exact amount and the local due date, with the opt-out words, in Chinese', () => {
    const sms = renderReminder({ locale: 'zh-CN', channel: 'sms', stage: 'm1', name: '王伟', timezone: 'Asia/Shanghai', items: [item] });
    expect(sms.text).toContain('¥1,280.50');
    expect(sms.text).toContain('3月20日');
    expect(sms.text).toContain('回复TD退订');
  });

  it('writes English with the date in the debtor zone, and combines several debts in one message', () => {
    const email = renderReminder({ locale: 'en', channel: 'email', stage: 'm2', name: 'Mary', timezone: 'America/New_York', items: [{ ...item, currency: 'USD', dueAt: new Date('2026-03-21T04:00:00Z') }, { amountMinor: 5n, currency: 'USD', dueAt: new Date('2026-03-25T04:00:00Z') }] });
    expect(email.subject).toBe('Payment reminder');
    expect(email.text).toContain('2 payments ($1,280.50, $0.05) were due on 20 March 2026');
    expect(email.html).toContain('<p>');
  });

  it('gives voice a TwiML menu: 1 bill, 2 instalments, 0 agent', () => {
    const voice = renderReminder({ locale: 'en', channel: 'voice', stage: 'm1', name: null, timezone: 'UTC', items: [item] });
    expect(voice.twiml).toContain('<Gather numDigits="1"');
    expect(voice.text).toContain('Press 1 for your bill, 2 for instalment options, or 0 for an agent.');
  });

  it('escapes a name that looks like markup', () => {
    const email = renderReminder({ locale: 'en', channel: 'email', stage: 'm1', name: '<b>Bob</b>', timezone: 'UTC', items: [item] });
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&#60;b&#62;Bob');
  });
});
