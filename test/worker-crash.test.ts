import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { upsertCustomers } from '../src/customers/upsert-customers.js';
import { scheduleAttempts } from '../src/delivery/attempt-queue.js';
import { ALL_CHANNELS } from '../src/delivery/providers/sandbox-provider.js';
import { CLI, tempDir } from './support/cli.js';
import { createScratchDatabase, type ScratchDatabase } from './support/databases.js';
import { type IdempotentWebhookPeer, startIdempotentWebhookPeer } from './support/peers/idempotent-webhook-peer.js';

/**
 * `recoup worker` as real processes on PostgreSQL against a real HTTP gateway: killed with SIGKILL
 * mid-send and restarted, nothing is lost and nothing reaches the gateway twice except re-sends of
 * what was in flight, under the same Idempotency-Key, which the gateway dedupes.
 */

const SECRET = 'crash-test-webhook-secret-0123456789';
const ATTEMPTS = 200;

interface Worker {
  child: ChildProcess;
  output: () => string;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, workers: Worker[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${workers.map((w) => w.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(Boolean(process.env.DATABASE_URL))('recoup worker processes on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let peer: IdempotentWebhookPeer;
  let db: pg.Client;
  let customerId: string;
  const dir = tempDir('recoup-crash-');
  const secretKey = generateSecret();
  const children: ChildProcess[] = [];

  /** A config file per scenario: every channel goes to the peer through the webhook provider. */
  const configFile = (name: string, leaseSeconds: number) => {
    const file = join(dir, `${name}.json`);
    const providers = Object.fromEntries(ALL_CHANNELS.map((channel) => [channel, { provider: 'webhook', url: `${peer.url}/messages`, secret: SECRET }]));
    writeFileSync(file, JSON.stringify({ providers, delivery: { leaseSeconds, pollMs: 100, batchSize: 20, concurrency: 4 } }));
    return file;
  };
  const envFor = (config: string) => ({ ...process.env, RECOUP_CONFIG: config, RECOUP_SECRET_KEY: secretKey, DATABASE_URL: scratch.url, RECOUP_LOG_LEVEL: 'warn' });

  const startWorker = (config: string): Worker => {
    const child = spawn(process.execPath, [CLI, 'worker'], { env: envFor(config), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  };
  const stopWorker = (worker: Worker, signal: NodeJS.Signals) =>
    new Promise<void>((done) => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return done();
      worker.child.once('exit', () => done());
      worker.child.kill(signal);
    });

  /** Attempts due now, through the real code, on the customer's email. */
  const seed = async (prefix: string, count: number): Promise<string[]> => {
    const app = await createApp(loadConfig({ logLevel: 'silent' }, envFor(configFile('seed', 2))), { logger: pino({ level: 'silent' }) });
    try {
      const now = new Date();
      const keys = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
      const attempts = keys.map((key) => ({ idempotencyKey: key, customerId, receivableIds: [], channel: 'email' as const, templateId: null, content: { subject: 'Reminder', text: key }, dueAt: now, decision: { rule: 'test' } }));
      expect((await scheduleAttempts(app.db, now, attempts)).size).toBe(count);
      return keys;
    } finally {
      await app.close();
    }
  };
  const rows = async (prefix: string) =>
    (await db.query<{ idempotency_key: string; status: string; attempt_count: number; provider_message_id: string | null }>(
      'select idempotency_key, status, attempt_count, provider_message_id from contact_attempts where idempotency_key like $1 order by idempotency_key', [`${prefix}-%`])).rows;
  const allSent = async (prefix: string) => (await rows(prefix)).every((r) => r.status === 'sent');

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    peer = await startIdempotentWebhookPeer(SECRET);
    // Migrates the scratch database, and creates the one debtor every attempt goes to.
    const app = await createApp(loadConfig({ logLevel: 'silent' }, envFor(configFile('seed', 2))), { logger: pino({ level: 'silent' }) });
    try {
      const outcomes = await upsertCustomers(app.db, { vault: app.vault, now: new Date(), source: 'api' }, [{ index: 0, data: { externalId: 'crash-1', timezone: 'UTC', identities: { email: 'debtor@example.com' } } }]);
      const outcome = outcomes.get(0) as { id?: string };
      customerId = outcome.id!;
    } finally {
      await app.close();
    }
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db?.end();
    await peer?.close();
    await scratch?.drop();
  });

  it('killed with SIGKILL mid-send and restarted, loses nothing and sends nothing twice', async () => {
    const keys = await seed('crash', ATTEMPTS);
    const config = configFile('crash', 2);
    // Every fifth new message is held open: four held fill the worker's four lanes, and the rest of its
    // claimed batch waits behind them, claimed but not sent. That is the moment to kill it.
    peer.holding = (index) => index % 5 === 2;
    const first = startWorker(config);
    await until('four sends held open at the gateway', () => peer.heldOpen.size >= 4, 30_000, [first]);
    const inFlight = new Set(peer.heldOpen);
    const arrivedBeforeKill = new Set(peer.arrivals);
    await stopWorker(first, 'SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');
    peer.holding = undefined;
    peer.releaseAll();
    // The dead worker can change nothing now: what it left `sending` is what its lease still covers.
    const sendingAtKill = new Set((await rows('crash')).filter((r) => r.status === 'sending').map((r) => r.idempotency_key));
    expect(sendingAtKill.size).toBeGreaterThanOrEqual(inFlight.size);

    const second = startWorker(config);
    await until(`all ${ATTEMPTS} attempts sent`, () => allSent('crash'), 60_000, [second]);
    await stopWorker(second, 'SIGTERM');

    const final = await rows('crash');
    const crashArrivals = peer.arrivals.filter((key) => key.startsWith('crash-'));
    const timesSeen = new Map<string, number>();
    for (const key of crashArrivals) timesSeen.set(key, (timesSeen.get(key) ?? 0) + 1);
    const repeated = [...timesSeen].filter(([, n]) => n > 1).map(([key]) => key);

    expect(peer.badSignatures).toBe(0);
    // None lost: the gateway accepted every key, once each.
    expect([...peer.accepted.keys()].filter((key) => key.startsWith('crash-')).sort()).toEqual(keys);
    expect(final).toHaveLength(ATTEMPTS);
    expect(final.every((r) => r.status === 'sent' && r.attempt_count >= 1)).toBe(true);
    expect(final.filter((r) => r.status === 'sending')).toEqual([]);
    // What was in flight at the kill went again under the same key; nothing else went twice, nothing thrice.
    for (const key of inFlight) expect(timesSeen.get(key)).toBe(2);
    expect(repeated.every((key) => sendingAtKill.has(key) && arrivedBeforeKill.has(key))).toBe(true);
    expect(Math.max(...timesSeen.values())).toBeLessThanOrEqual(2);
    expect(crashArrivals.length - timesSeen.size).toBe(repeated.length);
    // The re-send was deduped: the row keeps the id the gateway gave the first time.
    const byKey = new Map(final.map((r) => [r.idempotency_key, r]));
    for (const key of keys) expect(byKey.get(key)!.provider_message_id).toBe(peer.accepted.get(key));
    for (const key of inFlight) expect(byKey.get(key)!.attempt_count).toBe(2);
  });

  it('two workers at once never send the same attempt, and together send them all', async () => {
    const keys = await seed('pair', 300);
    // A long lease here: this is about SKIP LOCKED, and a noisy machine pausing a worker past a short
    // lease would make the other take its claim back, which is the lease working, not a double claim.
    const config = configFile('pair', 60);
    const workers = [startWorker(config), startWorker(config)];
    await until('all 300 attempts sent', () => allSent('pair'), 60_000, workers);
    await Promise.all(workers.map((worker) => stopWorker(worker, 'SIGTERM')));

    const pairArrivals = peer.arrivals.filter((key) => key.startsWith('pair-'));
    expect(pairArrivals.length).toBe(keys.length);
    expect(new Set(pairArrivals).size).toBe(keys.length);
    const final = await rows('pair');
    expect(final.every((r) => r.status === 'sent' && r.attempt_count === 1)).toBe(true);
    expect(final.map((r) => r.idempotency_key)).toEqual(keys);
  });
});
