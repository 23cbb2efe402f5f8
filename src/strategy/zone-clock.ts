import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// Offsets change only at transitions, and every transition in the tz database since 1970 falls on a
// quarter hour (UTC), so one lookup per quarter hour is exact and turns luxon's Intl call into an
// array read on the hot path.
const BUCKET_MS = 15 * MINUTE_MS;
// 4096 quarter hours is six weeks: a batch evaluated around one "now" never evicts its own entries.
const CACHE_SIZE = 4096;

/** Converts between instants and wall-clock time in one IANA zone, with a small offset cache. */
export class ZoneClock {
  readonly #zone: IANAZone;
  readonly #buckets = new Float64Array(CACHE_SIZE).fill(Number.NaN);
  readonly #offsets = new Float64Array(CACHE_SIZE);

  constructor(readonly name: string) {
    this.#zone = IANAZone.create(name);
  }

  /** Offset from UTC in milliseconds at an instant. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / BUCKET_MS);
    const slot = ((bucket % CACHE_SIZE) + CACHE_SIZE) % CACHE_SIZE;
    if (this.#buckets[slot] === bucket) return this.#offsets[slot]!;
    const offset = this.#zone.offset(bucket * BUCKET_MS) * MINUTE_MS;
    this.#buckets[slot] = bucket;
    this.#offsets[slot] = offset;
    return offset;
  }

  /** Wall-clock time as if it were UTC: its UTC fields are the local fields. */
  toWall(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /**
   * The instant showing this wall time. In the spring-forward gap (02:30 in New York in March) no
   * instant shows it, and we take the one just after the gap, as the clocks on the wall do.
   * In the autumn overlap the earlier instant wins, so a window opening then is not missed.
   */
  fromWall(wall: number): number {
    const first = this.offsetAt(wall);
    const second = this.offsetAt(wall - first);
    if (second === first) return this.#earlierInOverlap(wall, first);
    const third = this.offsetAt(wall - second);
    if (third === second) return wall - second;
    return wall - Math.min(second, third);
  }

  #earlierInOverlap(wall: number, offset: number): number {
    const earlier = this.offsetAt(wall - offset - HOUR_MS);
    if (earlier !== offset && this.toWall(wall - earlier) === wall) return wall - earlier;
    return wall - offset;
  }

  /** The same local time-of-day n calendar days away (so "3 days before due" survives a DST change). */
  shiftDays(ms: number, days: number): number {
    return this.fromWall(this.toWall(ms) + days * DAY_MS);
  }
}

const clocks = new Map<string, ZoneClock | null>();

/** A clock per zone name, built once; null for a name the tz database does not know. */
export function zoneClock(name: string): ZoneClock | null {
  let clock = clocks.get(name);
  if (clock === undefined) {
    clock = IANAZone.isValidZone(name) ? new ZoneClock(name) : null;
    clocks.set(name, clock);
  }
  return clock;
}

/** Day number since 1970-01-01 and 0 = Sunday weekday of a wall time. */
export function wallDay(wall: number): { day: number; weekday: number; minute: number } {
  const day = Math.floor(wall / DAY_MS);
  return { day, weekday: (day + 4) % 7, minute: Math.floor((wall - day * DAY_MS) / MINUTE_MS) };
}
