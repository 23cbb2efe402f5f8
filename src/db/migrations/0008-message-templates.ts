import type { Kysely } from 'kysely';

/** Slot: filled in this session. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
