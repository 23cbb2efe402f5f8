import { findAmounts } from './amounts.js';
import { type DateContext, findDates, type Found } from './dates.js';
import { findInstalments } from './instalments.js';
import type { NluEntities } from './types.js';

// Entity rules run over at most this much text: the patterns are linear, but a 10,000-character
// message of digits should not cost more than a normal one.
const ENTITY_TEXT_LIMIT = 2_000;

/** Blanks out spans already claimed, so "3号" is a date and not also three yuan. */
function mask(text: string, spans: ReadonlyArray<Found<unknown>>): string {
  let out = text;
  for (const { start, end } of spans) out = out.slice(0, start) + ' '.repeat(end - start) + out.slice(end);
  return out;
}

/** Dates first, then instalment counts, then amounts from what is left. */
export function extractEntities(text: string, context: DateContext): NluEntities {
  const bounded = text.slice(0, ENTITY_TEXT_LIMIT).normalize('NFKC');
  const dates = findDates(bounded, context);
  const instalments = findInstalments(mask(bounded, dates));
  const amounts = findAmounts(mask(bounded, [...dates, ...instalments]));
  return { dates: dates.map((d) => d.value), amounts: amounts.map((a) => a.value), instalments: instalments.map((i) => i.value) };
}
