import currencyCodes from 'currency-codes';
import type { FieldError } from './errors.js';

/**
 * Money is kept as an integer count of the currency's minor unit (bigint), from the request to the
 * database and back. Parsing works on the decimal text, never on a binary float.
 */

// ISO 4217 codes that are not money a debtor can owe: precious metals, test and accounting units.
const NOT_MONEY = new Set(['XXX', 'XTS', 'XAU', 'XAG', 'XPD', 'XPT', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XSU', 'XUA', 'XFU']);
const MAX_MINOR = 2n ** 63n - 1n;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

const knownDigits = new Map<string, number>();

/** Number of decimal places of the minor unit, or undefined for a code that is not a currency we accept. */
export function currencyDigits(code: string): number | undefined {
  // currency-codes searches its table from the top on every call; ingest asks once per amount.
  const known = knownDigits.get(code);
  if (known !== undefined) return known;
  if (NOT_MONEY.has(code)) return undefined;
  const entry = currencyCodes.code(code);
  const digits = typeof entry?.digits === 'number' ? entry.digits : undefined;
  // Only real codes are remembered, so arbitrary input cannot grow the map.
  if (digits !== undefined) knownDigits.set(code, digits);
  return digits;
}

export type AmountParse = { ok: true; minor: bigint } | { ok: false; error: FieldError };

/**
 * Parses a decimal amount in major units ("1280.50" or a JSON number kept as its literal text) into
 * minor units. Refuses negatives, more decimals than the currency has, and non-numbers.
 */
export function parseAmount(
  value: unknown,
  currency: string,
  field = 'amount',
  options: { allowZero?: boolean } = {},
): AmountParse {
  const digits = currencyDigits(currency);
  if (digits === undefined) return { ok: false, error: { field: 'currency', reason: `unknown ISO 4217 currency code ${JSON.stringify(currency)}` } };
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return { ok: false, error: { field, reason: 'must be a decimal number or a string such as "1280.50"' } };

  if (text.startsWith('-')) return { ok: false, error: { field, reason: 'must not be negative' } };
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, error: { field, reason: `${JSON.stringify(text)} is not a decimal amount such as "1280.50"` } };
  const [, whole = '0', fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > digits) {
    return { ok: false, error: { field, reason: `${currency} has ${digits} decimal place(s); got ${fraction.length}` } };
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(significant.padEnd(digits, '0') || '0');
  if (minor > MAX_MINOR) return { ok: false, error: { field, reason: 'is too large' } };
  if (minor === 0n && !options.allowZero) return { ok: false, error: { field, reason: 'must be greater than zero' } };
  return { ok: true, minor };
}

/** Renders minor units as the decimal string the API returns, e.g. 128050n CNY -> "1280.50". */
export function formatMinor(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency) ?? 2;
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const scale = 10n ** BigInt(digits);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
