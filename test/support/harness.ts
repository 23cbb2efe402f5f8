import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import { ensureAdminKey } from '../../src/auth/api-keys.js';
import { type ConfigOverrides, loadConfig } from '../../src/config.js';
import { generateSecret } from '../../src/compliance/pii-vault.js';
import { buildServer } from '../../src/http/server.js';
import { createScratchDatabase, type ScratchDatabase } from './databases.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const CLOCK_START = '2026-03-01T00:00:00.000Z';

export interface Harness {
  kind: 'pglite' | 'postgres';
  app: App;
  server: FastifyInstance;
  call<T = any>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, key?: string): Promise<{ status: number; body: T }>;
  advance(minutes: number): Promise<string>;
  close(): Promise<void>;
}

/** A real app on a real database (in-memory PGlite, or a scratch PostgreSQL database), on a virtual clock. */
export async function startHarness(kind: 'pglite' | 'postgres', overrides: ConfigOverrides = {}, appOptions: AppOptions = {}): Promise<Harness> {
  let scratch: ScratchDatabase | undefined;
  if (kind === 'postgres') scratch = await createScratchDatabase();
  const config = loadConfig(
    {
      dataDir: 'memory://', databaseUrl: scratch?.url, secretKey: generateSecret(), logLevel: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent', clock: { mode: 'virtual', start: CLOCK_START },
      // The strategy's own order of escalation, so that tests of its rules know which channel comes
      // first; the learning policy's choices have tests of their own (decisioning-live.test.ts).
      decisioning: { mode: 'baseline' },
      ...overrides,
    },
    {},
  );
  const app = await createApp(config, { logger: pino({ level: 'silent' }), ...appOptions });
  await ensureAdminKey(app.db, app.clock, ADMIN_KEY);
  const server = await buildServer(app);
  await server.ready();
  const call: Harness['call'] = async (method, url, body, key = ADMIN_KEY) => {
    const response = await server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, body: (response.body ? response.json() : undefined) as never };
  };
  return {
    kind,
    app,
    server,
    call,
    async advance(minutes) {
      const response = await call('POST', '/v1/clock/advance', { minutes });
      if (response.status !== 200) throw new Error(`advance failed: ${JSON.stringify(response.body)}`);
      return response.body.now as string;
    },
    async close() {
      await server.close();
      await app.close();
      await scratch?.drop();
    },
  };
}
