import { DateTime } from 'luxon';
import { CHINESE_NUMERAL_CHARS, ENGLISH_NUMBER_WORDS, englishOrDigits, parseWholeNumber } from './numerals.js';
import type { DateEntity } from './types.js';

/**
 * Dates in messages, resolved to calendar days in the customer's zone against an injected `now`.
 * Conventions (the same in both languages): "下周五" / "next Friday" is the Friday of next week
 * (weeks start on Monday); "周五" / "this Friday" / "on Friday" is the coming one, today included;
 * "3号" / "on the 15th" is the next such day of a month, today included; "月底" / "end of the month"
 * is the last day of this month.
 */

export interface DateContext {
  now: Date;
  timezone: string;
}

/** A match found in the text: where it is, and the day it names. */
export interface Found<T> {
  start: number;
  end: number;
  value: T;
}

type Resolver = (match: RegExpExecArray, today: DateTime) => DateTime | null;

const ZH_NUM = `(?:\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})`;
const ZH_WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 末: 6 };
const EN_WEEKDAY: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
// Bare "sat", "sun", "wed" are ordinary words; abbreviations count only after "next", "on", "by"...
const EN_DAY_FULL = '(?:mon|tues|wednes|thurs|fri|satur|sun)day';
const EN_DAY_SHORT = 'mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun';

const englishWeekday: Resolver = (m, t) => {
  const weekday = EN_WEEKDAY[m[2]!.slice(0, 3).toLowerCase()]!;
  return m[1]?.toLowerCase() === 'next' ? weekdayIn(t, weekday, 1) : comingWeekday(t, weekday);
};

function weekdayIn(today: DateTime, weekday: number, weekOffset: number): DateTime {
  const monday = today.minus({ days: today.weekday - 1 });
  return monday.plus({ weeks: weekOffset, days: weekday - 1 });
}

/** Day `day` of the month starting at `monthStart`, or null when that month is too short for it. */
function dayOf(monthStart: DateTime, day: number): DateTime | null {
  return Number.isInteger(day) && day >= 1 && day <= (monthStart.daysInMonth ?? 0) ? monthStart.set({ day }) : null;
}

/** The coming `weekday`, today included. */
function comingWeekday(today: DateTime, weekday: number): DateTime {
  return today.plus({ days: (weekday - today.weekday + 7) % 7 });
}

/** The next day-of-month `day`, today included; months too short for it are skipped. */
function comingDayOfMonth(today: DateTime, day: number): DateTime | null {
  if (day < 1 || day > 31) return null;
  for (let months = 0; months < 3; months++) {
    const month = today.startOf('month').plus({ months });
    if (day > (month.daysInMonth ?? 0)) continue;
    const candidate = month.set({ day });
    if (candidate >= today) return candidate;
  }
  return null;
}

/** Month and day without a year: this year's, or next year's once this year's has passed. */
function comingMonthDay(today: DateTime, month: number, day: number): DateTime | null {
  for (const year of [today.year, today.year + 1]) {
    const candidate = DateTime.fromObject({ year, month, day }, { zone: today.zone });
    if (candidate.isValid && candidate >= today) return candidate;
  }
  return null;
}

function exact(year: number, month: number, day: number, today: DateTime): DateTime | null {
  const candidate = DateTime.fromObject({ year, month, day }, { zone: today.zone });
  return candidate.isValid ? candidate : null;
}

const num = (text: string | undefined): number => (text === undefined ? NaN : (parseWholeNumber(text) ?? NaN));
const enNum = (text: string | undefined): number => (text === undefined ? NaN : (englishOrDigits(text) ?? NaN));

// Longer, more specific patterns first: a span taken by one is not matched again by a later one.
const PATTERNS: Array<{ pattern: RegExp; relative: boolean; resolve: Resolver }> = [
  // ISO and Chinese full dates
  { pattern: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g, relative: false, resolve: (m, t) => exact(+m[1]!, +m[2]!, +m[3]!, t) },
  { pattern: /(\d{4})年(\d{1,2})月(\d{1,2})[日号]/g, relative: false, resolve: (m, t) => exact(+m[1]!, +m[2]!, +m[3]!, t) },
  { pattern: new RegExp(`(${ZH_NUM})月(${ZH_NUM})[日号]`, 'g'), relative: true, resolve: (m, t) => comingMonthDay(t, num(m[1]), num(m[2])) },
  // Chinese relative days
  { pattern: /大后天/g, relative: true, resolve: (_m, t) => t.plus({ days: 3 }) },
  { pattern: /后天/g, relative: true, resolve: (_m, t) => t.plus({ days: 2 }) },
  { pattern: /明天|明日/g, relative: true, resolve: (_m, t) => t.plus({ days: 1 }) },
  { pattern: /今天|今日/g, relative: true, resolve: (_m, t) => t },
  { pattern: /昨天/g, relative: true, resolve: (_m, t) => t.minus({ days: 1 }) },
  { pattern: new RegExp(`(${ZH_NUM})天(?:之后|以后|后)`, 'g'), relative: true, resolve: (m, t) => t.plus({ days: num(m[1]) }) },
  { pattern: new RegExp(`(${ZH_NUM})(?:个)?(?:星期|礼拜|周)(?:之后|以后|后)`, 'g'), relative: true, resolve: (m, t) => t.plus({ weeks: num(m[1]) }) },
  { pattern: /下(?:个)?月(?:底|末)/g, relative: true, resolve: (_m, t) => t.plus({ months: 1 }).endOf('month').startOf('day') },
  { pattern: /(?:本月|这个月|月)(?:底|末)/g, relative: true, resolve: (_m, t) => t.endOf('month').startOf('day') },
  { pattern: /下(?:个)?月初/g, relative: true, resolve: (_m, t) => t.plus({ months: 1 }).startOf('month') },
  { pattern: new RegExp(`下(?:个)?月(${ZH_NUM})[号日]`, 'g'), relative: true, resolve: (m, t) => dayOf(t.plus({ months: 1 }).startOf('month'), num(m[1])) },
  { pattern: /(下下|下|这|本)?(?:个)?(?:周|星期|礼拜)([一二三四五六日天末])/g, relative: true, resolve: (m, t) => {
    const weekday = ZH_WEEKDAY[m[2]!]!;
    if (m[1] === '下下') return weekdayIn(t, weekday, 2);
    return m[1] === '下' ? weekdayIn(t, weekday, 1) : comingWeekday(t, weekday);
  } },
  { pattern: new RegExp(`(?<![月\\d${CHINESE_NUMERAL_CHARS}])(${ZH_NUM})[号日](?![元块])`, 'g'), relative: true, resolve: (m, t) => comingDayOfMonth(t, num(m[1])) },
  // English
  { pattern: new RegExp(`\\b${EN_MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`, 'gi'), relative: true, resolve: (m, t) => monthDay(t, m[1]!, +m[2]!, m[3]) },
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${EN_MONTH}\\b(?:,? (\\d{4}))?`, 'gi'), relative: true, resolve: (m, t) => monthDay(t, m[2]!, +m[1]!, m[3]) },
  { pattern: /\bday after tomorrow\b/gi, relative: true, resolve: (_m, t) => t.plus({ days: 2 }) },
  { pattern: /\b(?:tomorrow|tmrw|tmr|2morrow|tomorow)\b/gi, relative: true, resolve: (_m, t) => t.plus({ days: 1 }) },
  { pattern: /\b(?:today|tonight)\b/gi, relative: true, resolve: (_m, t) => t },
  { pattern: /\byesterday\b/gi, relative: true, resolve: (_m, t) => t.minus({ days: 1 }) },
  { pattern: new RegExp(`\\bin (a|${ENGLISH_NUMBER_WORDS}|\\d{1,3}) (days?|weeks?)\\b`, 'gi'), relative: true, resolve: (m, t) => {
    const count = m[1]!.toLowerCase() === 'a' ? 1 : enNum(m[1]);
    return m[2]!.toLowerCase().startsWith('week') ? t.plus({ weeks: count }) : t.plus({ days: count });
  } },
  { pattern: /\b(?:the )?end of (?:the |this )?month\b|\bmonth[- ]end\b/gi, relative: true, resolve: (_m, t) => t.endOf('month').startOf('day') },
  { pattern: /\b(?:the )?end of next month\b/gi, relative: true, resolve: (_m, t) => t.plus({ months: 1 }).endOf('month').startOf('day') },
  { pattern: new RegExp(`\\b(next|this|coming|on|by|until|till)? ?(${EN_DAY_FULL})\\b`, 'gi'), relative: true, resolve: englishWeekday },
  { pattern: new RegExp(`\\b(next|this|coming|on|by|until|till) (${EN_DAY_SHORT})\\.?\\b`, 'gi'), relative: true, resolve: englishWeekday },
  { pattern: /\b(?:(?:on|by|before|until|till) )?the (\d{1,2})(?:st|nd|rd|th)\b|\b(?:on|by|before|until|till) (\d{1,2})(?:st|nd|rd|th)\b/gi, relative: true, resolve: (m, t) => comingDayOfMonth(t, +(m[1] ?? m[2])!) },
];

function monthDay(today: DateTime, monthName: string, day: number, year: string | undefined): DateTime | null {
  const month = EN_MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return null;
  return year ? exact(+year, month, day, today) : comingMonthDay(today, month, day);
}

/** Every date named in `text`, in order of appearance. Spans of the text taken by a date are returned too. */
export function findDates(text: string, context: DateContext): Array<Found<DateEntity>> {
  const today = DateTime.fromJSDate(context.now, { zone: context.timezone }).startOf('day');
  if (!today.isValid) return [];
  const taken: boolean[] = new Array(text.length).fill(false);
  const found: Array<Found<DateEntity>> = [];
  for (const { pattern, relative, resolve } of PATTERNS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index + (match[0].length - match[0].trimStart().length);
      const end = match.index + match[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      let day: DateTime | null;
      try {
        day = resolve(match as RegExpExecArray, today);
      } catch {
        // Luxon refuses values it cannot represent (a count of days too large to add): not a date.
        continue;
      }
      if (!day?.isValid) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      found.push({ start, end, value: { text: text.slice(start, end), date: day.toISODate()!, relative } });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
