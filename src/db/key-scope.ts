import { type RawBuilder, sql } from 'kysely';
import { plainArrayLiteral } from './array-literal.js';

/**
 * A page of uuid keys (a planning page's customers) as the queries that read their rows name it:
 * by the span from the first to the last key when the page holds most of the keys in that span,
 * otherwise by the list itself. Perf: `customer_id = any(2,000 uuids)` costs PostgreSQL an index
 * descent per key and, while planning, a selectivity estimate per element; on a page of 2,000
 * customers the identities read took 10 ms that way against 1.4 ms over the span, and the
 * receivables read 4.2 ms against 1.0 ms (bench/dispatch's database, EXPLAIN ANALYZE). The span
 * also reads the rows of keys between that are not on the page, so it is used only where those are
 * few; the callers look rows up by key, and rows of other keys are never looked at.
 */
export type KeyScope = { kind: 'span'; first: string; last: string } | { kind: 'list'; literal: string };

/** Spans holding more keys than this many per key of the page are read key by key instead. */
const MOST_OF_SPAN = 2;

/**
 * `keys` in ascending order, all of them uuids from the database (so the list needs no quoting);
 * `keysInSpan` counts the keys of the whole table from the first to the last of them.
 */
export function keyScope(keys: readonly string[], keysInSpan: number): KeyScope {
  if (keys.length > 0 && keysInSpan <= keys.length * MOST_OF_SPAN) return { kind: 'span', first: keys[0]!, last: keys[keys.length - 1]! };
  return { kind: 'list', literal: plainArrayLiteral(keys) };
}

/** The condition that `column` (a uuid) is in the scope; rows of keys in the span but not on the page pass it too. */
export function inKeyScope(column: string, scope: KeyScope): RawBuilder<boolean> {
  if (scope.kind === 'span') return sql<boolean>`${sql.ref(column)} between ${scope.first}::uuid and ${scope.last}::uuid`;
  return sql<boolean>`${sql.ref(column)} = any(${scope.literal}::uuid[])`;
}
