import type { Kysely } from 'kysely';

/**
 * Deliberately empty. Message templates are versioned by file (data/templates/*.yaml, a `version`
 * per template, bumped with each wording change), and every planned attempt records the template id,
 * version and variant that wrote it in its content (`content.rendering`). Templates ship with the code
 * and are compiled at load, so a table of versions would only copy the files; the record that matters
 * for audit and for the bandit (which words went to whom) is already on each attempt.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
