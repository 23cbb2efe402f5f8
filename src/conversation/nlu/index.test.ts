import { describe, expect, it } from 'vitest';
import { detectLocale, MAX_TEXT_LENGTH, parse } from './index.js';

// Wednesday 4 March 2026, 10:00 in Shanghai.
const options = { now: new Date('2026-03-04T02:00:00Z'), timezone: 'Asia/Shanghai' };

describe('parse with the shipped models', () => {
  it('understands a Chinese instalment request with its entities', () => {
    const result = parse('我想分3期还款，下周五先还五百元', options);
    expect(result.locale).toBe('zh-CN');
    expect(result.intent).toBe('installment_options');
    expect(result.entities.instalments).toEqual([{ text: '分3期', count: 3 }]);
    expect(result.entities.dates).toEqual([{ text: '下周五', date: '2026-03-13', relative: true }]);
    expect(result.entities.amounts).toEqual([{ text: '五百元', value: '500', currency: 'CNY' }]);
  });

  it('understands an English promise to pay with date and amount', () => {
    const result = parse("I'll pay $1,280.50 next Friday", options);
    expect(result.locale).toBe('en');
    expect(result.intent).toBe('promise_to_pay');
    expect(result.entities.dates.map((d) => d.date)).toEqual(['2026-03-13']);
    expect(result.entities.amounts).toEqual([{ text: '$1,280.50', value: '1280.50', currency: 'USD' }]);
  });

  it.each([
    ['how much do I owe', 'check_balance'],
    ['transfer me to a real person', 'human_agent'],
    ['STOP', 'unsubscribe'],
    ['will this affect my credit score', 'credit_impact'],
    ['我要投诉你们的催收员', 'complaint'],
    ['会影响征信吗', 'credit_impact'],
    ['转人工', 'human_agent'],
    ['退订', 'unsubscribe'],
    ['我已经还了', 'already_paid'],
  ])('%s → %s', (text, intent) => {
    expect(parse(text, options).intent).toBe(intent);
  });

  it.each(['what is the capital of France', 'can you recommend a good pizza place', '今天天气怎么样', '给我讲个笑话'])('%s is out of scope', (text) => {
    expect(parse(text, options).intent).toBe('out_of_scope');
  });

  it('routes anger through sentiment', () => {
    const result = parse('你们天天打电话骚扰我，再打我就报警！', options);
    expect(result.sentiment.label).toBe('angry');
    expect(result.intent).toBe('complaint');
  });

  it('takes the locale it is given over detection', () => {
    expect(parse('hello', { ...options, locale: 'zh-CN' }).locale).toBe('zh-CN');
    expect(detectLocale('ok 好的')).toBe('zh-CN');
    expect(detectLocale('ok')).toBe('en');
  });

  it('does not crash on emoji-only, binary, mixed-language or enormous text', () => {
    const emoji = parse('😀😀🙏', options);
    expect(emoji.intent).toBe('out_of_scope');
    expect(emoji.sentiment.label).toBe('positive');
    expect(parse('\u0000\u0001\u0002\uFFFD\uD800', options).intent).toBe('out_of_scope');
    expect(parse('', options).intent).toBe('out_of_scope');
    expect(parse('我想 pay my bill 怎么还款', options).intent).toBe('payment_link');
    const huge = parse('我想分期还款'.repeat(MAX_TEXT_LENGTH), options);
    expect(huge.intent).toBe('installment_options');
    expect(huge.confidence).toBeGreaterThan(0);
  });
});
