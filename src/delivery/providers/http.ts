import type { FailureKind, SendResult } from '../provider.js';

/** Shared plumbing for the HTTP gateways: one place decides what a timeout or a refused socket means. */
export type Failure = Extract<SendResult, { ok: false }>;

export function failure(kind: FailureKind, reason: string, retryAfterMs?: number): Failure {
  return retryAfterMs === undefined ? { ok: false, kind, reason } : { ok: false, kind, reason, retryAfterMs };
}

/** Thrown by token sources and helpers so a caller can keep the classification the helper chose. */
export class ProviderError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
  toFailure(): Failure {
    return failure(this.kind, this.message, this.retryAfterMs);
  }
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * fetch with our own deadline combined with the caller's signal. The body is read under the same
 * signal, so a gateway that sends headers and then stalls still counts as a timeout.
 */
export async function httpRequest(
  url: string,
  init: RequestInit,
  signal: AbortSignal,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<HttpResponse> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, deadline]);
  try {
    const response = await fetch(url, { ...init, signal: combined, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    throw classifyFetchError(error, deadline, signal, timeoutMs);
  }
}

function classifyFetchError(error: unknown, deadline: AbortSignal, signal: AbortSignal, timeoutMs: number): ProviderError {
  if (deadline.aborted) return new ProviderError('timeout', `no answer within ${timeoutMs} ms`);
  // The caller gave up (shutdown, lease lost). The gateway may have the message, so this must stay
  // retryable; the idempotency key prevents a double send.
  if (signal.aborted) return new ProviderError('timeout', 'aborted by caller before the gateway answered');
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new ProviderError('network', code ? `${code}: ${detail}` : detail);
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The status-only classification every HTTP provider falls back to when the body says nothing more. */
export function classifyStatus(response: HttpResponse, reason: string): Failure {
  const { status } = response;
  if (status === 429) return failure('rate_limited', reason, parseRetryAfter(response.headers.get('retry-after')));
  if (status === 408) return failure('timeout', reason);
  if (status >= 500) return failure('server_error', reason);
  if (status === 401 || status === 403) return failure('misconfigured', reason);
  if (status >= 400) return failure('rejected', reason);
  return failure('bad_response', reason);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function snippet(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Runs a send body and turns any thrown ProviderError into its failure, so providers stay linear. */
export async function guarded(body: () => Promise<SendResult>): Promise<SendResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ProviderError) return error.toFailure();
    throw error;
  }
}
