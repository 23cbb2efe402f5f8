import type { Kysely } from 'kysely';

/** Placeholder: disputes, promises to pay (filled in by the holds work). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
