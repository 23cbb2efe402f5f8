import { type RawBuilder, sql } from 'kysely';
import { quotedArrayLiteral } from './array-literal.js';

/**
 * `column = any($1::type[])`: one array parameter however many values. An `in ($1, …, $n)` list
 * with thousands of values pushed PostgreSQL to scan whole tables (bench/ingest showed it) and
 * runs into the 65,535-parameter limit; the array form keeps using the index.
 */
export function anyOf(column: string, values: readonly string[], type: 'uuid' | 'text'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${quotedArrayLiteral(values)}::${sql.raw(type)}[])`;
}
