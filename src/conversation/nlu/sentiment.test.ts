import { describe, expect, it } from 'vitest';
import { analyseSentiment } from './sentiment.js';

const label = (text: string) => analyseSentiment(text).label;

describe('analyseSentiment', () => {
  it('reads neutral requests as neutral', () => {
    expect(label('我想查一下余额')).toBe('neutral');
    expect(label('when is my payment due')).toBe('neutral');
  });

  it('reads thanks and praise as positive', () => {
    expect(label('非常感谢，你们很耐心')).toBe('positive');
    expect(label('thanks, that was really helpful')).toBe('positive');
    expect(analyseSentiment('thank you so much, great help').score).toBeGreaterThan(0.3);
  });

  it('reads dissatisfaction as negative, and negated praise too', () => {
    expect(label('我对处理结果很失望')).toBe('negative');
    expect(label('不满意')).toBe('negative');
    expect(label("I'm not happy with this")).toBe('negative');
    expect(label('the service was poor and confusing')).toBe('negative');
  });

  it('reads negated complaints as not negative ("不差", "not bad")', () => {
    expect(analyseSentiment('not bad').score).toBeGreaterThanOrEqual(0);
    expect(analyseSentiment('还不错').score).toBeGreaterThan(0);
  });

  it('reads insults, threats to escalate and shouting as angry', () => {
    expect(label('你们这帮骗子，再打电话我就报警')).toBe('angry');
    expect(label('滚！别再打了！！')).toBe('angry');
    expect(label('STOP CALLING ME YOU IDIOTS!!!')).toBe('angry');
    expect(label('this is a fucking scam')).toBe('angry');
    expect(label('😡😡')).toBe('angry');
  });

  it('scores anger from 0 to 1 and polarity from -1 to 1', () => {
    const calm = analyseSentiment('hello');
    const furious = analyseSentiment('I am furious, you people are thieves and I will sue');
    expect(calm.anger).toBe(0);
    expect(furious.anger).toBeGreaterThan(0.8);
    expect(furious.score).toBeLessThan(-0.8);
    expect(furious.score).toBeGreaterThanOrEqual(-1);
  });

  it('copes with empty, binary and enormous text', () => {
    expect(analyseSentiment('').label).toBe('neutral');
    expect(analyseSentiment('\u0000\u0001\u0002\uFFFD').label).toBe('neutral');
    expect(analyseSentiment('差'.repeat(100_000)).label).toBe('negative');
  });
});
