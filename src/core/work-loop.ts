import type { Clock, VirtualClock } from './clock.js';

/**
 * Work that falls due with time: stage changes now, contact attempts later. On the real clock each
 * piece runs on its own interval; on the virtual clock an advance jumps from one due instant to the
 * next, in time order, and returns when everything up to the target has run.
 */
export interface DueWork {
  name: string;
  /** How often to look for due work on the real clock. */
  intervalMs: number;
  /** The earliest instant after `now` at which this work has something to do, or null if none is known. */
  nextDueAt(now: Date): Promise<Date | null>;
  /** Does everything due at or before `now`. */
  runDue(now: Date): Promise<void>;
}

export interface WorkLoopLogger {
  error(details: object, message: string): void;
}

// A guard against work that claims to be due but never makes progress.
const MAX_STEPS_PER_ADVANCE = 100_000;

export class WorkLoop {
  readonly #works: DueWork[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Set<Promise<void>>();
  #advancing: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly logger: WorkLoopLogger,
  ) {}

  register(work: DueWork): void {
    this.#works.push(work);
  }

  /** Real clock only: runs each piece of work on its interval, one run at a time per piece. */
  start(): void {
    if (this.clock.kind !== 'real') return;
    for (const work of this.#works) {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        const run = work
          .runDue(this.clock.now())
          .catch((error: Error) => this.logger.error({ work: work.name, err: error }, 'due work failed'))
          .finally(() => {
            running = false;
            this.#running.delete(run);
          });
        this.#running.add(run);
      };
      // Once at start, so a fresh process does not sit idle for a whole interval (an hour, for planning).
      tick();
      const timer = setInterval(tick, work.intervalMs);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  /**
   * Starts nothing new and resolves once the runs in flight have finished, so that the database is
   * closed under no one: closing PGlite under a running planner left the process hanging on exit.
   */
  async stop(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    await Promise.all([...this.#running]);
  }

  /** Virtual clock only. Concurrent advances queue behind each other rather than interleave. */
  advanceTo(clock: VirtualClock, target: Date): Promise<void> {
    const run = this.#advancing.then(() => this.#advance(clock, target));
    this.#advancing = run.catch(() => undefined);
    return run;
  }

  async #advance(clock: VirtualClock, target: Date): Promise<void> {
    if (target.getTime() < clock.now().getTime()) throw new Error('cannot advance the clock backwards');
    for (let step = 0; step < MAX_STEPS_PER_ADVANCE; step += 1) {
      const next = await this.#earliestDue(clock.now());
      if (next === null || next.getTime() > target.getTime()) {
        clock.set(target);
        await this.#runAll(target);
        return;
      }
      clock.set(new Date(Math.max(next.getTime(), clock.now().getTime())));
      await this.#runAll(clock.now());
    }
    throw new Error(`clock advance did not settle after ${MAX_STEPS_PER_ADVANCE} steps`);
  }

  async #earliestDue(now: Date): Promise<Date | null> {
    let earliest: Date | null = null;
    for (const work of this.#works) {
      const due = await work.nextDueAt(now);
      if (due && (!earliest || due < earliest)) earliest = due;
    }
    return earliest;
  }

  async #runAll(now: Date): Promise<void> {
    for (const work of this.#works) await work.runDue(now);
  }
}
