import { beforeAll, describe, expect, it } from 'vitest';
import { createScanner, type ContentScanner } from './index.js';

describe('a neutral statement of consequences is not a threat', () => {
  let scanner: ContentScanner;
  beforeAll(() => {
    scanner = createScanner();
  });
  const verdict = (text: string, locale: 'zh-CN' | 'en') => {
    const result = scanner.check(text, { channel: 'app', locale });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.violations.map((v) => `${v.severity} ${v.rule}`);
  };

  it('allows the consequence stated with a modal or under the law', () => {
    expect(verdict('逾期可能影响您的信用记录', 'zh-CN')).toEqual([]);
    expect(verdict('根据相关规定，逾期信息将报送征信系统', 'zh-CN')).toEqual([]);
    expect(verdict('Late payment may be reported to the credit bureau as permitted by law.', 'en')).toEqual([]);
  });

  it('sends a bare statement of consequences to review, not to block', () => {
    expect(verdict('逾期将影响您的信用记录', 'zh-CN')).toEqual(['review credit.report_zh']);
    expect(verdict('Your account will be reported to the credit bureaus.', 'en')).toEqual(['review credit.report_en']);
  });

  it('blocks the same consequence when we threaten you with it, or exaggerate it', () => {
    expect(verdict('我们会把你上报征信', 'zh-CN')).toEqual(['block credit.report_zh']);
    expect(verdict('逾期会永久影响您的征信', 'zh-CN')).toEqual(['block credit.report_zh']);
    expect(verdict('We will report you to every credit bureau.', 'en')).toEqual(['block credit.report_en']);
    expect(verdict('we will ruin your credit', 'en')).toEqual(['block credit.false_claim_en']);
  });

  it('reads a negation directly before the act as a promise, not a threat', () => {
    expect(verdict('我们不会上门催收', 'zh-CN')).toEqual([]);
    expect(verdict('我们不会联系您的家人或单位', 'zh-CN')).toEqual([]);
    expect(verdict('We will never contact your employer about this debt.', 'en')).toEqual([]);
    // A "不" that belongs to the condition does not negate the threat.
    expect(verdict('不还钱就上门', 'zh-CN')).toEqual(['block doorstep.visit_zh']);
    expect(verdict('你不还我们就通知你的单位和家人', 'zh-CN')).toEqual(['block disclosure.third_party_zh']);
  });

  it('treats legal action under the law as review, and asserted or false legal claims as blocks', () => {
    expect(verdict('We may take legal action as permitted by law.', 'en')).toEqual(['review legal.action_en']);
    expect(verdict('We will sue you next week.', 'en')).toEqual(['block legal.action_en']);
    expect(verdict('You will be arrested.', 'en')).toEqual(['block legal.false_claim_en']);
    expect(verdict('You will not be arrested for a consumer debt.', 'en')).toEqual([]);
  });

  it('needs the target: a relative named without an act of telling is not a disclosure', () => {
    expect(verdict('如有疑问，请联系我们的客服', 'zh-CN')).toEqual([]);
    expect(verdict('Please call us if your family situation has changed.', 'en')).toEqual([]);
    expect(verdict('We will tell your employer.', 'en')).toEqual(['block disclosure.third_party_en']);
  });

  it('accepts an extra rule file from config, adding words and rules', () => {
    const extended = createScanner({ extraLibraries: [{ sets: { sender: ['Acme Loans'] }, rules: [{ id: 'custom.nickname', family: 'insult', terms: ['cheapskate'] }] }] });
    const result = extended.check('Acme Loans: pay up, CHEAP SKATE. Reply STOP to opt out.', { channel: 'sms', locale: 'en' });
    expect(result.ok && result.value.violations).toEqual([{ rule: 'custom.nickname', family: 'insult', severity: 'block', match: 'CHEAP SKATE' }]);
  });
});
