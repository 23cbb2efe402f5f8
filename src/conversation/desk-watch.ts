import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Tells the agent desk when the queue or any conversation changed, so open consoles refresh at once
 * (GET /v1/agent/events). One watcher per process reads a fingerprint of the conversations table
 * while at least one console listens: a handoff, a takeover, a message or a hand-back changes it.
 * It reads the database rather than listening to this process's own events, so a change made by
 * another API or worker process on the same PostgreSQL is seen too.
 */
export interface DeskWatcher {
  /** `listener` is called with a new version string after each change; the returned function stops it. */
  subscribe(listener: (version: string) => void): () => void;
  /** The version now, read from the database. */
  current(): Promise<string>;
  close(): void;
}

async function fingerprint(db: Db): Promise<string> {
  const row = await sql<{ queued: string; held: string; events: string | null; active: Date | null }>`
    select count(*) filter (where handoff_state = 'queued') as queued, count(*) filter (where handoff_state = 'agent') as held,
      sum(event_seq)::text as events, max(last_activity_at) as active
    from conversations`.execute(db);
  const r = row.rows[0]!;
  return [r.queued, r.held, r.events ?? '0', r.active ? new Date(r.active).getTime() : 0].join('.');
}

export function createDeskWatcher(db: Db, intervalMs = 1000): DeskWatcher {
  const listeners = new Set<(version: string) => void>();
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const version = await fingerprint(db);
      if (last !== undefined && version !== last) for (const listener of listeners) listener(version);
      last = version;
    } catch {
      // A failed read (database restarting, pool closed at shutdown) is retried on the next tick.
    } finally {
      checking = false;
    }
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    last = undefined;
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        void check();
        timer = setInterval(() => void check(), intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    current: () => fingerprint(db),
    close() {
      listeners.clear();
      stop();
    },
  };
}
