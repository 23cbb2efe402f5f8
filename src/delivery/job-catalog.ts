/**
 * One entry per kind of queued work: how long a claim lasts and how failures are retried. Workers
 * read these; nothing else hard-codes a retry count or a lease.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Share of the delay that is randomised, so that a gateway outage does not end in a thundering herd. */
  jitter: number;
}

export interface JobKind {
  name: string;
  /** A claim not completed in this time is considered abandoned (the worker died) and is claimed again. */
  leaseMs: number;
  retry: RetryPolicy;
}

export const CONTACT_ATTEMPT_JOB: JobKind = {
  name: 'contact-attempt',
  leaseMs: 2 * 60_000,
  retry: { maxAttempts: 5, baseDelayMs: 60_000, factor: 2, maxDelayMs: 6 * 3_600_000, jitter: 0.25 },
};

/** Exponential backoff with jitter: attempt 1 waits about base, attempt 2 about base × factor, and so on. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const spread = exponential * policy.jitter;
  return Math.round(exponential - spread + random() * 2 * spread);
}
