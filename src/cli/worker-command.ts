import { parseArgs } from 'node:util';
import { bootApp } from './boot.js';
import { reloadPolicyOnHangup, untilSignal } from './serve-command.js';

/** Workers without the HTTP server: run as many as the load needs, all on one PostgreSQL. */
export async function runWorker(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, allowPositionals: false });
  const app = await bootApp({ runWorkers: true });
  const stopReloading = reloadPolicyOnHangup(app);
  try {
    app.work.start();
    process.stdout.write(`recoup worker running (${app.dbKind}, ${app.clock.kind} clock)\n`);
    // The work timers are unref'd so that tests and `serve` can exit; a worker must stay up until told.
    const keepAlive = setInterval(() => undefined, 60_000);
    await untilSignal();
    clearInterval(keepAlive);
    return 0;
  } finally {
    stopReloading();
    await app.close();
  }
}
