import { describe, expect, it } from 'vitest';
import { message } from './assistant-message.js';
import { renderFor } from './render.js';
import { readVerificationAnswer } from './verification.js';

const balance = message('balance', 'You owe 10.00 USD. Pay by Friday. More words follow here.', {
  cards: [{ title: 'Your balance', rows: [{ label: 'bill-1', value: '10.00 USD' }] }],
  link: { url: 'https://pay.example/p?token=abc', label: 'Pay now' },
  quickReplies: [{ label: 'Instalments', reply: 'Instalment options' }, { label: 'Talk to an agent', reply: 'Talk to an agent' }],
});

describe('rendering per channel', () => {
  it('SMS is plain text with the link written out, and nothing structured', () => {
    expect(renderFor('sms', balance)).toEqual({ channel: 'sms', kind: 'balance', text: 'You owe 10.00 USD. Pay by Friday. More words follow here.\nhttps://pay.example/p?token=abc' });
  });

  it('app and web carry cards, quick replies and the link as structure', () => {
    const app = renderFor('web', balance);
    expect(app).toMatchObject({ cards: balance.cards, quickReplies: balance.quickReplies, link: balance.link });
  });

  it('WeChat gets template-message fields', () => {
    expect(renderFor('wechat', balance).template).toEqual({ first: balance.text, keywords: ['bill-1: 10.00 USD'], remark: 'Instalments / Talk to an agent', url: 'https://pay.example/p?token=abc' });
  });

  it('voice says one short sentence and a key for each choice', () => {
    const voice = renderFor('voice', balance);
    expect(voice.text).toBe('You owe 10.00 USD. 1: Instalments, 2: Talk to an agent');
    expect(voice.menu).toEqual([{ digit: '1', label: 'Instalments', reply: 'Instalment options' }, { digit: '2', label: 'Talk to an agent', reply: 'Talk to an agent' }]);
  });
});

describe('reading a verification answer', () => {
  it('finds the last four characters and the birth date in either order and language', () => {
    expect(readVerificationAnswer('1234 1990-05-17')).toEqual({ last4: '1234', dateOfBirth: '1990-05-17' });
    expect(readVerificationAnswer('born 19900517, id ends 123x')).toEqual({ last4: '123X', dateOfBirth: '1990-05-17' });
    expect(readVerificationAnswer('身份证后四位123X，生日1990年5月7日')).toEqual({ last4: '123X', dateOfBirth: '1990-05-07' });
  });

  it('reads nothing from a message without both, or with an impossible date', () => {
    expect(readVerificationAnswer('1990-05-17')).toBeUndefined();
    expect(readVerificationAnswer('1234 5678')).toBeUndefined();
    expect(readVerificationAnswer('1234 1990-13-40')).toBeUndefined();
  });
});
