import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway database on a PostgreSQL server, for a test file or a benchmark run. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` on the server `base` names, so a run never touches real data. */
export async function createScratchDatabase(base: string, prefix = 'recoup_scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(base, (client) => client.query(`create database ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(base, async (client) => {
        // pg's pool.end() resolves before its sockets close; a forced drop that beats them sends those
        // clients an error nobody listens for any more. Give them a few seconds to go first.
        for (let wait = 0; wait < 50; wait += 1) {
          const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((done) => setTimeout(done, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      }),
  };
}
