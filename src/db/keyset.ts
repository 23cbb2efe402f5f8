import { type RawBuilder, sql } from 'kysely';
import type { Cursor } from '../core/pagination.js';

/** Rows after the cursor in (column, id) order: a row comparison PostgreSQL answers from the index. */
export function afterCursor(column: string, cursor: Cursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(column)}, id) > (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}
