/**
 * Expected failures are values, not exceptions. Each carries a `type` literal that the HTTP layer maps
 * to a status in one place, a message for humans, and per-field details saying what to fix.
 */
export interface FieldError {
  field: string;
  reason: string;
}

export type DomainErrorType =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'unsupported';

export interface DomainError {
  type: DomainErrorType;
  message: string;
  details: FieldError[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: DomainError): Result<T> {
  return { ok: false, error };
}

export function invalid(details: FieldError[], message?: string): DomainError {
  const summary = details.map((d) => `${d.field}: ${d.reason}`).join('; ');
  return { type: 'validation', message: message ?? `invalid input (${summary})`, details };
}

export function notFound(what: string, field: string, value: string): DomainError {
  return {
    type: 'not_found',
    message: `${what} ${JSON.stringify(value)} does not exist`,
    details: [{ field, reason: `no ${what} with this value` }],
  };
}

export function conflict(message: string, details: FieldError[] = []): DomainError {
  return { type: 'conflict', message, details };
}

/** Prefixes every field path, so that an error inside batch item 3 reads `items[3].data.amount`. */
export function prefixFields(error: DomainError, prefix: string): DomainError {
  return { ...error, details: error.details.map((d) => ({ ...d, field: d.field ? `${prefix}.${d.field}` : prefix })) };
}
