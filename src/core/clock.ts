/**
 * The one source of "now" for domain code. Real in production; virtual for the demo, the simulator
 * and the tests, where time only moves when someone advances it.
 */
export interface Clock {
  readonly kind: 'real' | 'virtual';
  now(): Date;
}

export class RealClock implements Clock {
  readonly kind = 'real' as const;
  now(): Date {
    return new Date();
  }
}

export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves time forward only: work already done at an instant must never be "undone" by going back. */
  set(instant: Date): void {
    if (instant.getTime() < this.#now) {
      throw new Error(`virtual clock cannot go back from ${this.now().toISOString()} to ${instant.toISOString()}`);
    }
    this.#now = instant.getTime();
  }
}
