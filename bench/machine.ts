import { arch, cpus, platform, release, totalmem } from 'node:os';
import pg from 'pg';

/** What a benchmark ran on, recorded beside its figures: they mean little without it. */
export async function describeMachine(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>('select version()');
    return {
      os: `${platform()} ${release()} ${arch()}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      nodeFlags: process.execArgv,
      postgres: rows[0]?.version ?? 'unknown',
    };
  } finally {
    await client.end();
  }
}
