import Type from 'typebox';
import { type Result, fail, invalid, ok } from './errors.js';

/** Keyset pagination over (created_at, id): stable under inserts, unlike OFFSET. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  after: Type.Optional(Type.String({ maxLength: 200, description: 'The nextCursor of the previous page' })),
};

export interface Cursor {
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function decodeCursor(text: string): Cursor | undefined {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at: new Date(at), id };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The `after` query parameter: absent, a cursor this API issued, or an error naming the field. */
export function parseCursor(after: string | undefined): Result<Cursor | undefined> {
  if (after === undefined) return ok(undefined);
  const cursor = decodeCursor(after);
  return cursor ? ok(cursor) : fail(invalid([{ field: 'after', reason: 'is not a cursor returned by this API' }]));
}

/**
 * Turns `limit + 1` rows, ordered by (`at`, id), into a page: the extra row only says that there is
 * more, and the last row kept becomes the cursor.
 */
export function pageOf<R extends { id: string }, V>(rows: R[], limit: number, at: (row: R) => Date, view: (row: R) => V): Page<V> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: more && last ? encodeCursor({ at: at(last), id: last.id }) : null };
}
