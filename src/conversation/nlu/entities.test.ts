import { describe, expect, it } from 'vitest';
import { extractEntities } from './entities.js';

// Wednesday 4 March 2026, 10:00 in Shanghai (02:00 UTC). 1 March 2026 is a Sunday.
const now = new Date('2026-03-04T02:00:00Z');
const shanghai = { now, timezone: 'Asia/Shanghai' };
const dates = (text: string, context = shanghai) => extractEntities(text, context).dates.map((d) => d.date);

describe('dates, resolved against the given now and zone', () => {
  it('reads Chinese relative days', () => {
    expect(dates('我今天还')).toEqual(['2026-03-04']);
    expect(dates('明天还款')).toEqual(['2026-03-05']);
    expect(dates('后天转账')).toEqual(['2026-03-06']);
    expect(dates('大后天吧')).toEqual(['2026-03-07']);
    expect(dates('三天后还')).toEqual(['2026-03-07']);
  });

  it('reads weekdays: 下周五 is Friday of next week, 周五 the coming one', () => {
    expect(dates('下周五之前一定还')).toEqual(['2026-03-13']);
    expect(dates('下星期一还')).toEqual(['2026-03-09']);
    expect(dates('我周五还款')).toEqual(['2026-03-06']);
    expect(dates('这周三')).toEqual(['2026-03-04']);
    expect(dates('下下周二')).toEqual(['2026-03-17']);
  });

  it('reads month ends and days of the month, moving to next month once the day has passed', () => {
    expect(dates('月底前还清')).toEqual(['2026-03-31']);
    expect(dates('下个月底')).toEqual(['2026-04-30']);
    expect(dates('我15号还')).toEqual(['2026-03-15']);
    expect(dates('十五号还')).toEqual(['2026-03-15']);
    expect(dates('我3号还')).toEqual(['2026-04-03']);
    expect(dates('下个月5号')).toEqual(['2026-04-05']);
    expect(dates('下个月31号')).toEqual([]); // April has 30 days
    expect(dates('4月10日还款')).toEqual(['2026-04-10']);
    expect(dates('2月1号')).toEqual(['2027-02-01']);
    expect(dates('2026年5月1日')).toEqual(['2026-05-01']);
  });

  it('reads English relative dates', () => {
    expect(dates('I will pay tomorrow')).toEqual(['2026-03-05']);
    expect(dates('today')).toEqual(['2026-03-04']);
    expect(dates('the day after tomorrow')).toEqual(['2026-03-06']);
    expect(dates('next Friday')).toEqual(['2026-03-13']);
    expect(dates('by Friday')).toEqual(['2026-03-06']);
    expect(dates('on the 15th')).toEqual(['2026-03-15']);
    expect(dates('by the 1st')).toEqual(['2026-04-01']);
    expect(dates('in 3 days')).toEqual(['2026-03-07']);
    expect(dates('in two weeks')).toEqual(['2026-03-18']);
    expect(dates('end of the month')).toEqual(['2026-03-31']);
    expect(dates('March 20')).toEqual(['2026-03-20']);
    expect(dates('20th of April')).toEqual(['2026-04-20']);
  });

  it('reads ISO dates as written, and refuses dates that do not exist', () => {
    expect(extractEntities('pay on 2026-04-10', shanghai).dates).toEqual([{ text: '2026-04-10', date: '2026-04-10', relative: false }]);
    expect(dates('2026/12/01')).toEqual(['2026-12-01']);
    expect(dates('2026-02-30')).toEqual([]);
  });

  it('uses the customer zone, not the server clock: late evening UTC is already tomorrow in Shanghai', () => {
    const evening = new Date('2026-03-04T20:00:00Z');
    expect(dates('明天', { now: evening, timezone: 'Asia/Shanghai' })).toEqual(['2026-03-06']);
    expect(dates('tomorrow', { now: evening, timezone: 'UTC' })).toEqual(['2026-03-05']);
  });

  it('ignores counts too large to be a date without failing', () => {
    expect(dates('in 999 days')).toEqual(['2028-11-27']);
    expect(dates('三百万天后')).toEqual([]);
  });

  it('does not take ordinary words for days ("I sat down", "sun")', () => {
    expect(dates('I sat down in the sun')).toEqual([]);
  });
});

describe('amounts, exact', () => {
  const amounts = (text: string) => extractEntities(text, shanghai).amounts.map(({ value, currency }) => ({ value, currency }));

  it('reads symbols, suffixes and Chinese numerals', () => {
    expect(amounts('¥500')).toEqual([{ value: '500', currency: 'CNY' }]);
    expect(amounts('￥500')).toEqual([{ value: '500', currency: 'CNY' }]);
    expect(amounts('还500元')).toEqual([{ value: '500', currency: 'CNY' }]);
    expect(amounts('五百元')).toEqual([{ value: '500', currency: 'CNY' }]);
    expect(amounts('两千五百块')).toEqual([{ value: '2500', currency: 'CNY' }]);
    expect(amounts('一千零五十元')).toEqual([{ value: '1050', currency: 'CNY' }]);
    expect(amounts('$1,280.50')).toEqual([{ value: '1280.50', currency: 'USD' }]);
    expect(amounts('USD 200')).toEqual([{ value: '200', currency: 'USD' }]);
    expect(amounts('300 dollars')).toEqual([{ value: '300', currency: 'USD' }]);
  });

  it('applies 万 and k exactly', () => {
    expect(amounts('1.5万')).toEqual([{ value: '15000', currency: null }]);
    expect(amounts('借了2万元')).toEqual([{ value: '20000', currency: 'CNY' }]);
    expect(amounts('3k')).toEqual([{ value: '3000', currency: null }]);
    expect(amounts('0.1万元')).toEqual([{ value: '1000', currency: 'CNY' }]);
  });

  it('keeps bare sums of money, but not dates, counts or phone numbers', () => {
    expect(amounts('I can pay 500 on the 15th')).toEqual([{ value: '500', currency: null }]);
    expect(amounts('我3号还500')).toEqual([{ value: '500', currency: null }]);
    expect(amounts('分3期')).toEqual([]);
    expect(amounts('in 3 days')).toEqual([]);
    expect(amounts('call me on 13800138000')).toEqual([]);
    expect(amounts('一下')).toEqual([]);
  });
});

describe('number of instalments', () => {
  const counts = (text: string) => extractEntities(text, shanghai).instalments.map((i) => i.count);

  it('reads Chinese forms', () => {
    expect(counts('我想分3期')).toEqual([3]);
    expect(counts('分三期行不行')).toEqual([3]);
    expect(counts('6期每期多少')).toEqual([6]);
    expect(counts('分十二期')).toEqual([12]);
    expect(counts('分成6个月还')).toEqual([6]);
  });

  it('reads English forms', () => {
    expect(counts('can I pay over 12 months')).toEqual([12]);
    expect(counts('in 3 instalments')).toEqual([3]);
    expect(counts('in 3 installments')).toEqual([3]);
    expect(counts('six monthly payments')).toEqual([6]);
    expect(counts('a 6-month plan')).toEqual([6]);
  });

  it('is not fooled by dates and plain months', () => {
    expect(counts('3月20号还')).toEqual([]);
    expect(counts('我3个月前就还了')).toEqual([]);
  });
});
