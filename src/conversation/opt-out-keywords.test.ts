import { describe, expect, it } from 'vitest';
import { isOptOutKeyword } from './opt-out-keywords.js';

describe('isOptOutKeyword', () => {
  it('recognises carrier opt-out words in any case, full-width, with trailing punctuation', () => {
    for (const text of ['STOP', 'stop', ' Stop. ', 'ＳＴＯＰ', 'unsubscribe', '退订', '退订！', 'td', 'TD']) expect(isOptOutKeyword(text), text).toBe(true);
  });

  it('does not treat sentences that merely mention the words as opt-outs', () => {
    for (const text of ['please stop calling me at work', 'how do I unsubscribe?', '我想退订吗', 'STOPPED', 'start']) expect(isOptOutKeyword(text), text).toBe(false);
  });
});
