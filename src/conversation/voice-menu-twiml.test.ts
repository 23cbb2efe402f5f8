import { describe, expect, it } from 'vitest';
import { renderVoiceAnswer, splitInstalments } from './voice-menu-twiml.js';

const en = { locale: 'en', timezone: 'America/New_York', nextStep: 2 };
const zh = { locale: 'zh-CN', timezone: 'Asia/Shanghai', nextStep: 3 };
// Late from 04:00Z on 21 March: the debtor in New York owes it on 20 March.
const owed = { outstandingMinor: 123456n, currency: 'USD', dueAt: new Date('2026-03-21T04:00:00Z') };

describe('splitInstalments', () => {
  it('splits exactly, with the remainder on the first part', () => {
    expect(splitInstalments(100n, 3)).toEqual([34n, 33n, 33n]);
    expect(splitInstalments(123456n, 6)).toEqual([20576n, 20576n, 20576n, 20576n, 20576n, 20576n]);
    expect(splitInstalments(123457n, 6).reduce((a, b) => a + b)).toBe(123457n);
  });
});

describe('renderVoiceAnswer', () => {
  it('says the balance and local due date, then offers the menu again on the next step', () => {
    const twiml = renderVoiceAnswer({ kind: 'balance', items: [owed] }, en);
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/v1/voice/menu?step=2" method="POST" actionOnEmptyResult="true">' +
        '<Say language="en-US">Your outstanding balance is $1,234.56, due on 20 March 2026. Press 1 for your bill, 2 for instalment options, or 0 for an agent.</Say></Gather></Response>',
    );
  });

  it('speaks Chinese for a zh-CN customer', () => {
    const twiml = renderVoiceAnswer({ kind: 'balance', items: [{ ...owed, currency: 'CNY', dueAt: new Date('2026-03-20T16:00:00Z') }] }, zh);
    expect(twiml).toContain('<Say language="zh-CN">您的待还金额为¥1,234.56，到期日3月20日。查询账单请按1');
    expect(twiml).toContain('step=3');
  });

  it('offers 3 and 6 monthly parts per currency, remainder first', () => {
    const twiml = renderVoiceAnswer({ kind: 'instalments', items: [{ ...owed, outstandingMinor: 100000n }, { ...owed, outstandingMinor: 1n }] }, en);
    expect(twiml).toContain('You can split $1,000.01 into 3 monthly payments: $333.35 first, then 2 of $333.33, or 6 monthly payments: $166.71 first, then 5 of $166.66.');
    expect(twiml).toContain('An agent can set this up for you: press 0');
  });

  it('dials the agent when there is a number, else promises a call back and hangs up', () => {
    expect(renderVoiceAnswer({ kind: 'agent', dial: '+14155550100' }, en)).toContain('<Dial>+14155550100</Dial>');
    const callback = renderVoiceAnswer({ kind: 'agent' }, zh);
    expect(callback).toContain('稍后将有客服人员给您回电');
    expect(callback).toContain('<Hangup/>');
    expect(callback).not.toContain('<Dial>');
  });

  it('repeats the menu once, marked as the retry, and escapes what it says', () => {
    const twiml = renderVoiceAnswer({ kind: 'repeat' }, en);
    expect(twiml).toContain('action="/v1/voice/menu?step=2&#38;retry=1"');
    expect(twiml).toContain('Sorry, that is not one of the options.');
    expect(renderVoiceAnswer({ kind: 'goodbye' }, en)).toContain('<Hangup/>');
  });

  it('never puts raw markup from the data into the TwiML', () => {
    const twiml = renderVoiceAnswer({ kind: 'agent', dial: '+1<Play>x</Play>' }, en);
    expect(twiml).not.toContain('<Play>');
    expect(twiml).toContain('&#60;Play&#62;');
  });

  it('to a wrong party, says goodbye in the customer\'s language and nothing else; the disclosure is passed through whole', () => {
    expect(renderVoiceAnswer({ kind: 'wrong_party' }, en)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US">Sorry to have troubled you. Goodbye.</Say><Hangup/></Response>');
    expect(renderVoiceAnswer({ kind: 'wrong_party' }, zh)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="zh-CN">抱歉打扰了，再见。</Say><Hangup/></Response>');
    const stored = '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/v1/voice/menu"><Say>x</Say></Gather></Response>';
    expect(renderVoiceAnswer({ kind: 'disclosure', twiml: stored }, en)).toBe(stored);
  });
});
