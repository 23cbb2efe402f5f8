import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { App } from '../app.js';
import { createApiKey, ensureAdminKey, generateApiKey } from '../auth/api-keys.js';
import type { ConfigOverrides } from '../config.js';
import { buildServer } from '../http/server.js';
import { loadDemoPortfolio } from '../simulation/demo-portfolio.js';
import { bootApp } from './boot.js';
import { UsageError } from './usage-error.js';

/** Resolves when the process is asked to stop, so that the caller can close what it opened. */
export function untilSignal(): Promise<string> {
  return new Promise((done) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => done(signal));
  });
}

/**
 * SIGHUP re-reads the policy file, the Unix convention for "reload your config"; a refused file is
 * logged by the store (file, line, path, reason) and the running policy stays in force. Workers
 * listen too: without a handler, Node's default for SIGHUP is to exit. Returns the disposer.
 */
export function reloadPolicyOnHangup(app: App): () => void {
  const reload = () => {
    app.policies.reloadFromFile('system:sighup').catch((error: Error) => app.logger.error({ err: error }, 'policy reload failed; the running policy stays in force'));
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}

/**
 * The admin key to print: RECOUP_ADMIN_KEY when set; on embedded storage the one kept in the data
 * directory, so a restarted demo keeps its key; otherwise a new one, only when no admin key exists.
 */
async function bootstrapAdminKey(app: App): Promise<string | undefined> {
  if (app.config.adminKey) {
    await ensureAdminKey(app.db, app.clock, app.config.adminKey);
    return app.config.adminKey;
  }
  if (app.dbKind === 'pglite' && app.config.dataDir !== 'memory://') {
    const file = join(resolve(app.config.dataDir), 'admin.key');
    const key = existsSync(file) ? readFileSync(file, 'utf8').trim() : generateApiKey();
    if (!existsSync(file)) writeFileSync(file, `${key}\n`, { mode: 0o600 });
    await ensureAdminKey(app.db, app.clock, key);
    return key;
  }
  const admins = await app.db.selectFrom('api_keys').select('id').where('role', '=', 'admin').where('revoked_at', 'is', null).limit(1).execute();
  if (admins.length > 0) return undefined;
  return (await createApiKey(app.db, app.clock, { name: 'first admin', role: 'admin' }, 'system')).key;
}

function overridesFrom(args: string[]): ConfigOverrides {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean' },
      clock: { type: 'string' },
      'no-workers': { type: 'boolean' },
      decisioning: { type: 'string' },
    },
    allowPositionals: false,
  });
  const overrides: ConfigOverrides = {};
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port)) throw new UsageError(`--port must be a number, got ${JSON.stringify(values.port)}`);
    overrides.port = Number(values.port);
  }
  if (values.host) overrides.host = values.host;
  if (values.demo) overrides.demo = true;
  if (values.clock !== undefined) {
    if (values.clock !== 'virtual' && values.clock !== 'real') throw new UsageError(`--clock must be virtual or real, got ${JSON.stringify(values.clock)}`);
    overrides.clock = { mode: values.clock };
  }
  if (values['no-workers']) overrides.runWorkers = false;
  if (values.decisioning !== undefined) {
    if (values.decisioning !== 'ai' && values.decisioning !== 'baseline') throw new UsageError(`--decisioning must be ai or baseline, got ${JSON.stringify(values.decisioning)}`);
    overrides.decisioning = { mode: values.decisioning };
  }
  return overrides;
}

export async function runServe(args: string[]): Promise<number> {
  const app = await bootApp(overridesFrom(args));
  let stopReloading = () => {};
  try {
    const adminKey = await bootstrapAdminKey(app);
    if (app.config.demo) {
      const loaded = await loadDemoPortfolio(app);
      if (loaded.customers > 0) app.logger.info(loaded, 'demo portfolio loaded');
    }
    const server = await buildServer(app);
    const address = await server.listen({ port: app.config.port, host: app.config.host });
    if (app.config.runWorkers) app.work.start();
    const lines = [
      `Recoup is serving on ${address} (${app.dbKind}, ${app.clock.kind} clock)`,
      `  health: ${address}/health   API docs: ${address}/docs`,
      adminKey ? `  admin API key: ${adminKey}` : '  admin API key: already issued (set RECOUP_ADMIN_KEY to choose one)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    stopReloading = reloadPolicyOnHangup(app);
    await untilSignal();
    await server.close();
    return 0;
  } finally {
    stopReloading();
    await app.close();
  }
}
