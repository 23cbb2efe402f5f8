import type { Kysely } from 'kysely';

/** Placeholder: policy versions (filled in by the policy work). */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
