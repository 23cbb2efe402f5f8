import { describe, expect, it } from 'vitest';
import { createPayLinks, shippedRenderer } from '../../messaging/index.js';
import { checkMessageContent, shippedScanner } from './index.js';
import { blankLinkTokens } from './link-tokens.js';

const zhSms = (text: string) => checkMessageContent(shippedScanner(), 'sms', { text: `【Recoup】${text} 回复TD退订`, locale: 'zh-CN' });

describe('tokens in links', () => {
  it('are blanked to spaces of the same length; words in links and outside them are kept', () => {
    const text = 'Pay: https://r.example/p/x3iarfg2SB2f2OyprjRBW2tfe912Q98mxcbiikGY?from=sms now';
    const blanked = blankLinkTokens(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe(`Pay: https://r.example/p/${' '.repeat(40)}?from=sms now`);
    expect(blankLinkTokens('https://r.example/v1/unsubscribe?token=abc')).toBe('https://r.example/v1/unsubscribe?token=abc');
    expect(blankLinkTokens('no link: x3iarfg2SB2f2OyprjRBW2')).toBe('no link: x3iarfg2SB2f2OyprjRBW2');
  });

  it('do not read as insults, while the same letters as a word still block', () => {
    expect(zhSms('请还款：https://r.example/p/heLFeQgHSt28dK3YHk_2UWtfe92sB9Bzbds_JLH1').allowed).toBe(true);
    const insult = zhSms('你这个SB，请还款');
    expect(insult.blockedBy).toMatchObject({ rule: 'insult.abuse_zh', match: 'SB' });
  });

  it('never block a shipped SMS reminder for its pay link (5,000 real signed links, both languages)', () => {
    const links = createPayLinks('https://recoup.example', Buffer.alloc(32, 3).toString('base64'));
    const now = new Date('2026-03-02T02:00:00Z');
    const blocked: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const locale = i % 2 === 0 ? 'zh-CN' : 'en';
      const content = shippedRenderer().render({
        templateId: 'reminder-sms', channel: 'sms', stage: 'm1', locale, name: null, timezone: 'Asia/Shanghai', now,
        items: [{ amountMinor: 12800n, currency: 'CNY', dueAt: new Date('2026-02-25T16:00:00Z') }], payLink: links.urlFor(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, now),
      });
      const verdict = checkMessageContent(shippedScanner(), 'sms', { ...content, locale });
      if (!verdict.allowed) blocked.push(`${verdict.blockedBy!.rule} ${verdict.blockedBy!.match}: ${content.text}`);
    }
    expect(blocked).toEqual([]);
  });
});
