import { CHINESE_NUMERAL_CHARS, chineseToBigInt, type ExactDecimal, formatDecimal, multiply, parseDecimal } from './numerals.js';
import type { AmountEntity } from './types.js';
import type { Found } from './dates.js';

/**
 * Money in messages: "¥500", "500元", "五百块", "1.5万", "$1,280.50", "USD 200", "300 dollars", and
 * bare numbers ("I can pay 500") once dates and instalment counts have taken their digits.
 */

const SYMBOLS: Record<string, string> = { '¥': 'CNY', '￥': 'CNY', $: 'USD', '€': 'EUR', '£': 'GBP', 'hk$': 'HKD', 'us$': 'USD', 'rmb': 'CNY', 'cny': 'CNY', 'usd': 'USD', 'eur': 'EUR', 'gbp': 'GBP', 'hkd': 'HKD', '人民币': 'CNY' };
const SUFFIXES: Record<string, string> = {
  元: 'CNY', 块: 'CNY', 块钱: 'CNY', 元钱: 'CNY', 人民币: 'CNY', 美元: 'USD', 美金: 'USD', 欧元: 'EUR', 英镑: 'GBP', 港币: 'HKD', 港元: 'HKD',
  rmb: 'CNY', cny: 'CNY', yuan: 'CNY', kuai: 'CNY', usd: 'USD', dollars: 'USD', dollar: 'USD', bucks: 'USD', eur: 'EUR', euros: 'EUR', gbp: 'GBP', pounds: 'GBP', hkd: 'HKD',
};
const MULTIPLIERS: Record<string, bigint> = { 万: 10_000n, 萬: 10_000n, 千: 1_000n, 百: 100n, 亿: 100_000_000n, k: 1_000n, m: 1_000_000n };

const byLength = (words: string[]) => words.sort((a, b) => b.length - a.length).map((w) => w.replace(/[$.]/g, '\\$&')).join('|');
const DIGITS = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';
const AMOUNT = new RegExp(
  `(?<prefix>${byLength(Object.keys(SYMBOLS))})?\\s?(?:(?<digits>${DIGITS})\\s?(?<multiplier>[万萬千百亿]|k\\b|m\\b)?|(?<chinese>[${CHINESE_NUMERAL_CHARS}]+))\\s?(?<suffix>${byLength(Object.keys(SUFFIXES))})?`,
  'giu',
);
// A number followed by one of these is a count or a time, not money.
const NOT_MONEY_AFTER = /^\s?(?:%|percent|个月|月|天|日|号|年|期|周|星期|days?|weeks?|months?|years?|instal?lments?|payments?|times|次|点|:|am\b|pm\b|st\b|nd\b|rd\b|th\b)/iu;

function valueOf(groups: Record<string, string | undefined>): ExactDecimal | null {
  if (groups.digits) {
    const base = parseDecimal(groups.digits);
    if (!base) return null;
    const multiplier = groups.multiplier ? MULTIPLIERS[groups.multiplier.toLowerCase()] : undefined;
    return multiplier ? multiply(base, multiplier) : base;
  }
  const whole = chineseToBigInt(groups.chinese ?? '');
  return whole === null ? null : { units: whole, scale: 0 };
}

export function findAmounts(text: string): Array<Found<AmountEntity>> {
  const found: Array<Found<AmountEntity>> = [];
  for (const match of text.matchAll(AMOUNT)) {
    const groups = match.groups ?? {};
    const prefix = groups.prefix?.toLowerCase();
    const suffix = groups.suffix?.toLowerCase();
    const currency = (prefix && SYMBOLS[prefix]) ?? (suffix && SUFFIXES[suffix]) ?? null;
    // A Chinese numeral without a currency is a word ("一下", "三期"), not money.
    if (groups.chinese && !currency) continue;
    const end = match.index + match[0].trimEnd().length;
    if (!currency && NOT_MONEY_AFTER.test(text.slice(end))) continue;
    if (!currency && groups.digits && groups.digits.replace(/\D/g, '').length > 9) continue; // phone and account numbers
    // Words that merely start like a currency ("m" in "my") must not make a number money.
    if (suffix && /^[a-z]+$/.test(suffix) && /[a-z]/i.test(text.charAt(end))) continue;
    const value = valueOf(groups);
    if (!value || value.units === 0n) continue;
    const start = match.index + (match[0].length - match[0].trimStart().length);
    found.push({ start, end, value: { text: text.slice(start, end), value: formatDecimal(value), currency } });
  }
  return found;
}
