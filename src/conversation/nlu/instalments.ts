import type { Found } from './dates.js';
import { CHINESE_NUMERAL_CHARS, ENGLISH_NUMBER_WORDS, englishOrDigits, parseWholeNumber } from './numerals.js';
import type { InstalmentEntity } from './types.js';

/** How many instalments a customer asks for: "分3期", "6期", "分十二个月", "12 months", "in 3 instalments". */

const ZH = new RegExp(`(?:分成?|分期)?\\s?(\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})\\s?(?:期|个月分期|个月还清|个月)`, 'gu');
const EN = new RegExp(
  `\\b(${ENGLISH_NUMBER_WORDS}|\\d{1,2})[- ](?:monthly |equal |month |months? of )?(instal?lments?|payments?|months?|month plan|parts|periods)\\b`,
  'gi',
);
// Months in Chinese are only a plan when the message is about splitting ("分", "期"), not "3个月前".
const ZH_PLAN_CONTEXT = /分|期|还清|还完/u;

export function findInstalments(text: string): Array<Found<InstalmentEntity>> {
  const found: Array<Found<InstalmentEntity>> = [];
  for (const match of text.matchAll(ZH)) {
    const count = parseWholeNumber(match[1]!);
    if (match[0].endsWith('个月') && !match[0].startsWith('分') && !ZH_PLAN_CONTEXT.test(text)) continue;
    if (/[月年]$/.test(text.slice(0, match.index)) || count === null || count < 2 || count > 60) continue;
    const start = match.index + (match[0].length - match[0].trimStart().length);
    found.push({ start, end: match.index + match[0].length, value: { text: match[0].trim(), count } });
  }
  for (const match of text.matchAll(EN)) {
    const count = englishOrDigits(match[1]!);
    if (count === null || count < 2 || count > 60) continue;
    found.push({ start: match.index, end: match.index + match[0].length, value: { text: match[0], count } });
  }
  return found.sort((a, b) => a.start - b.start);
}
