import { createScratchDatabase as createOn, type ScratchDatabase } from '../../src/db/scratch-database.js';

export type { ScratchDatabase };

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const DATABASE_KINDS: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A database of its own for one test file, on the server DATABASE_URL points at; dropped afterwards. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  return createOn(base, 'recoup_test');
}
