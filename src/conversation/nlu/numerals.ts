/**
 * Numbers as people write them in messages: "1,280.50", "1.5万", "3k", "五百", "一千二百五十",
 * "两千五", "十五". Values are exact decimal strings; nothing goes through binary floating point.
 */

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 两: 2, 贰: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const UNITS: Record<string, bigint> = { 十: 10n, 拾: 10n, 百: 100n, 佰: 100n, 千: 1000n, 仟: 1000n };
const BIG_UNITS: Record<string, bigint> = { 万: 10_000n, 萬: 10_000n, 亿: 100_000_000n };

/** Characters that can make up a Chinese numeral. */
export const CHINESE_NUMERAL_CHARS = '零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿';

/** "一千二百五十" → 1250n, "两千五" → 2500n (a trailing digit after a unit means the next unit down). */
export function chineseToBigInt(text: string): bigint | null {
  if (!text) return null;
  let total = 0n;
  let section = 0n;
  let digit: bigint | null = null;
  let lastUnit = 0n;
  for (const char of text) {
    if (char in DIGITS) {
      digit = BigInt(DIGITS[char]!);
      continue;
    }
    const unit = UNITS[char];
    if (unit !== undefined) {
      // "十五" starts with a bare ten.
      section += (digit ?? 1n) * unit;
      digit = null;
      lastUnit = unit;
      continue;
    }
    const big = BIG_UNITS[char];
    if (big !== undefined) {
      section += digit ?? 0n;
      total = (total + (section === 0n ? 1n : section)) * big;
      section = 0n;
      digit = null;
      lastUnit = big / 10n;
      continue;
    }
    return null;
  }
  if (digit !== null) section += lastUnit >= 10n && !text.includes('零') ? (digit * lastUnit) / 10n : digit;
  return total + section;
}

/** A decimal as an integer and a count of decimal places: 1280.50 is { units: 128050n, scale: 2 }. */
export interface ExactDecimal {
  units: bigint;
  scale: number;
}

/** "1,280.50" → { 128050n, 2 }; commas and spaces between digit groups are ignored. */
export function parseDecimal(text: string): ExactDecimal | null {
  const cleaned = text.replace(/[,\s]/g, '');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1]! + fraction), scale: fraction.length };
}

/** Scales by a whole multiplier (万 = 10,000, k = 1,000) and drops the decimal places that became zero. */
export function multiply(value: ExactDecimal, by: bigint): ExactDecimal {
  let units = value.units * by;
  let scale = value.scale;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return { units, scale };
}

export function formatDecimal(value: ExactDecimal): string {
  const digits = value.units.toString().padStart(value.scale + 1, '0');
  if (value.scale === 0) return digits;
  return `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
}

/** Arabic or Chinese, whole numbers only (days of the month, counts of instalments). */
export function parseWholeNumber(text: string): number | null {
  if (/^\d{1,6}$/.test(text)) return Number(text);
  const value = chineseToBigInt(text);
  return value !== null && value <= 1_000_000n ? Number(value) : null;
}

const ENGLISH_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, eighteen: 18, twenty: 20, 'twenty-four': 24, thirty: 30, 'thirty-six': 36,
};
export const ENGLISH_NUMBER_WORDS = Object.keys(ENGLISH_NUMBERS).sort((a, b) => b.length - a.length).join('|');

export function englishOrDigits(text: string): number | null {
  const lower = text.toLowerCase();
  if (/^\d{1,6}$/.test(lower)) return Number(lower);
  return ENGLISH_NUMBERS[lower] ?? null;
}
