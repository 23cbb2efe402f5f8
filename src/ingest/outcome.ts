import type { DomainError } from '../core/errors.js';

/** What happened to one ingested item; the batch endpoint returns one of these per item, in order. */
export type ItemOutcome =
  | { status: 'created' | 'updated'; id: string }
  /** Seen before under the same externalId with the same content: accepted, not applied again. */
  | { status: 'duplicate'; id: string }
  | { status: 'rejected'; error: DomainError };

export interface IndexedItem {
  index: number;
  data: unknown;
}

export type Outcomes = Map<number, ItemOutcome>;

export function rejected(error: DomainError): ItemOutcome {
  return { status: 'rejected', error };
}
