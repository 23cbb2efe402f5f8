import { type RawBuilder, sql } from 'kysely';

/**
 * PostgreSQL array literals built by hand, for the large array parameters of set-based writes.
 * node-postgres turns a JS array parameter into a literal by escaping element by element through
 * generic code (prepareValue, escapeElement), and a JSON document instead costs the server a full
 * parse (json_to_recordset); on a 10,000-row ingest batch either was a visible share of the time
 * (bench/ingest). Pass the result as a text parameter cast to the array type: `${lit}::uuid[]`.
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** `{"a","b"}`: every element quoted, so commas, braces, spaces and the word NULL stay text. */
export function quotedArrayLiteral(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i]!;
    out += (i === 0 ? '"' : ',"') + (NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, '\\$&') : value) + '"';
  }
  return `${out}}`;
}

/**
 * `{1,2}`: for elements whose text form has no character an array literal treats specially, such
 * as uuids, integers, booleans and ISO timestamps the caller produced itself.
 */
export function plainArrayLiteral(values: ReadonlyArray<string | number | bigint | boolean>): string {
  return `{${values.join(',')}}`;
}

/**
 * The instant in a bigint column of epoch milliseconds, for instants sent in a plainArrayLiteral:
 * the server reads a bigint far faster than ISO text, and a bigint times an interval of 1 ms is
 * exact (a division into seconds would go through a float).
 */
export function fromEpochMs(column: string): RawBuilder<Date> {
  return sql<Date>`(timestamptz 'epoch' + ${sql.ref(column)} * interval '1 millisecond')`;
}
