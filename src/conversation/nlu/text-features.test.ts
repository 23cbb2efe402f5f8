import { describe, expect, it } from 'vitest';
import { extractFeatures, FEATURE_TEXT_LIMIT, normaliseText, tokenize } from './text-features.js';

describe('tokenize', () => {
  it('segments Chinese with jieba into words, not characters', () => {
    const tokens = tokenize('我想分期还款');
    expect(tokens).toContain('分期');
    expect(tokens).toContain('还款');
  });

  it('lower-cases English, keeps apostrophes inside words and drops punctuation', () => {
    expect(tokenize("I'm NOT paying, it’s wrong!")).toEqual(["i'm", 'not', 'paying', "it's", 'wrong']);
  });

  it('turns full-width forms into plain ones and every digit into 0', () => {
    expect(normaliseText('ＴＤ１２３')).toBe('td123');
    expect(tokenize('pay 1280 on 15th')).toEqual(['pay', '0000', 'on', '00th']);
  });

  it('handles mixed Chinese and English in reading order', () => {
    const tokens = tokenize('我要pay今天');
    expect(tokens[0]).toBe('我要');
    expect(tokens).toContain('pay');
    expect(tokens[tokens.length - 1]).toBe('今天');
  });

  it('yields nothing for emoji, punctuation or control characters', () => {
    expect(tokenize('😀😡🙏 !!! \u0000\u0001\uFFFD')).toEqual([]);
  });
});

describe('extractFeatures', () => {
  it('makes word 1-3-grams and padded character 2-5-grams inside each word', () => {
    const { words, chars } = extractFeatures('card fee');
    expect(words).toEqual(['card', 'fee', 'card fee']);
    expect(chars).toContain(' c');
    expect(chars).toContain('card ');
    expect(chars).toContain(' fee ');
    // char_wb: no n-gram spans two words
    expect(chars.some((c) => c.includes('d f'))).toBe(false);
  });

  it('makes character 1-3-grams over Han runs, across jieba boundaries', () => {
    const { chars } = extractFeatures('分期还款');
    expect(chars).toEqual(expect.arrayContaining(['分', '分期', '期还', '期还款']));
  });

  it('reads only the first FEATURE_TEXT_LIMIT characters of an enormous message', () => {
    const huge = `${'refund '.repeat(FEATURE_TEXT_LIMIT)}zebra`;
    expect(extractFeatures(huge).words).not.toContain('zebra');
  });
});
