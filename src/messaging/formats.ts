import { currencyDigits } from '../core/money.js';

/**
 * Money and dates as the debtor reads them. Building an Intl formatter costs far more than using one,
 * and planning formats millions of amounts, so each is built once per locale (and currency or zone).
 */

interface MoneyFormat {
  intl: Intl.NumberFormat;
  scale: bigint;
  digits: number;
  /** The same output without Intl on each call, when the locale writes money as prefix, groups of 3, suffix. */
  fast?: { prefix: string; group: string; decimal: string; suffix: string };
}

const moneyFormats = new Map<string, MoneyFormat>();

function decimalText(minor: bigint, scale: bigint, digits: number): string {
  return digits === 0 ? `${minor}` : `${minor / scale}.${`${minor % scale}`.padStart(digits, '0')}`;
}

function groupThousands(whole: string, separator: string): string {
  let out = whole.slice(0, ((whole.length - 1) % 3) + 1);
  for (let i = out.length; i < whole.length; i += 3) out += separator + whole.slice(i, i + 3);
  return out;
}

function fastText(f: NonNullable<MoneyFormat['fast']>, decimal: string): string {
  const dot = decimal.indexOf('.');
  const whole = dot < 0 ? decimal : decimal.slice(0, dot);
  return `${f.prefix}${groupThousands(whole, f.group)}${dot < 0 ? '' : f.decimal + decimal.slice(dot + 1)}${f.suffix}`;
}

/**
 * Perf: Intl's formatting of a decimal string costs microseconds, and planning formats an amount per
 * message. The locale's pattern is read once from Intl's own parts, and kept only if it reproduces
 * Intl's output exactly on probe amounts (grouping, zero, no-decimal currencies); otherwise Intl is used.
 */
function learnFastPattern(format: MoneyFormat): MoneyFormat['fast'] {
  const sample = decimalText(123_456_789n * format.scale + (format.digits > 0 ? 1n : 0n), format.scale, format.digits);
  const parts = format.intl.formatToParts(sample as unknown as number);
  const first = parts.findIndex((p) => p.type === 'integer');
  let last = -1;
  parts.forEach((p, i) => {
    if (p.type === 'integer' || p.type === 'fraction') last = i;
  });
  const number = parts.slice(first, last + 1);
  if (first < 0 || number.some((p) => !['integer', 'group', 'decimal', 'fraction'].includes(p.type))) return undefined;
  const fast = {
    prefix: parts.slice(0, first).map((p) => p.value).join(''),
    group: number.find((p) => p.type === 'group')?.value ?? ',',
    decimal: number.find((p) => p.type === 'decimal')?.value ?? '.',
    suffix: parts.slice(last + 1).map((p) => p.value).join(''),
  };
  for (const probe of [0n, 1n, 5n, 999n, 1_000n, 1_234n, 12_345n, 100_000n, 1_234_567n, 9_223_372_036_854_775_807n]) {
    const decimal = decimalText(probe, format.scale, format.digits);
    if (fastText(fast, decimal) !== format.intl.format(decimal as unknown as number)) return undefined;
  }
  return fast;
}

function moneyFormat(locale: string, currency: string): MoneyFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const digits = currencyDigits(currency) ?? 2;
    format = { intl: new Intl.NumberFormat(locale, { style: 'currency', currency }), scale: 10n ** BigInt(digits), digits };
    const fast = learnFastPattern(format);
    if (fast) format.fast = fast;
    moneyFormats.set(key, format);
  }
  return format;
}

/** Exact: the amount goes from bigint minor units to text through decimal strings, never a binary float. */
export function formatMoney(locale: string, minor: bigint, currency: string): string {
  const format = moneyFormat(locale, currency);
  if (minor >= 0n && format.fast) return fastText(format.fast, decimalText(minor, format.scale, format.digits));
  const negative = minor < 0n;
  const decimal = decimalText(negative ? -minor : minor, format.scale, format.digits);
  return format.intl.format((negative ? `-${decimal}` : decimal) as unknown as number);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(locale: string, zone: string): Intl.DateTimeFormat {
  const key = `${locale}|${zone}`;
  let format = dayFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      locale === 'zh-CN' ? { timeZone: zone, month: 'long', day: 'numeric' } : { timeZone: zone, day: 'numeric', month: 'long', year: 'numeric' };
    try {
      // en-GB writes "20 March 2026", which reads the same to every English speaker (no 3/20 vs 20/3).
      format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', options);
    } catch {
      // A zone this runtime does not know: the UTC day rather than no date at all.
      format = dayFormat(locale, 'UTC');
    }
    dayFormats.set(key, format);
  }
  return format;
}

// Perf: every zone's offset is a multiple of 15 minutes, so the local day can only change on a
// 15-minute boundary of UTC, and one formatted day serves every instant of that quarter hour. Due
// dates cluster (ends of days, months), so most lookups hit.
const QUARTER_HOUR = 900_000;
const MAX_CACHED_DAYS = 100_000;
const days = new Map<string, string>();

/** The due date as the debtor knows it: the local day before the first late instant. */
export function formatDueDay(locale: string, dueAt: Date, zone: string): string {
  const last = dueAt.getTime() - 1;
  const key = `${locale}|${zone}|${Math.floor(last / QUARTER_HOUR)}`;
  let day = days.get(key);
  if (day === undefined) {
    day = dayFormat(locale, zone).format(last);
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(key, day);
  }
  return day;
}
