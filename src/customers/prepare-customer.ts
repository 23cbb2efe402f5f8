import { type Result, fail, invalid, ok } from '../core/errors.js';
import { isValidTimeZone } from '../core/time.js';
import { schemaErrors } from '../core/validate.js';
import type { Channel } from '../db/schema.js';
import { CustomerInput } from './customer-schema.js';
import { type NormalisedIdentity, normaliseIdentities } from './identities.js';

/** A customer write, checked and normalised; absent fields are null and leave stored values alone. */
export interface PreparedCustomer {
  externalId: string;
  name: string | null;
  locale: string | null;
  timezone: string | null;
  consents: Partial<Record<Channel, boolean>>;
  attributes: Record<string, unknown>;
  identities: NormalisedIdentity[];
}

export function prepareCustomer(data: unknown): Result<PreparedCustomer> {
  const shape = schemaErrors(CustomerInput, data);
  if (shape.length > 0) return fail(invalid(shape));
  const input = data as CustomerInput;
  const { identities, errors } = normaliseIdentities(input.identities);
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    errors.push({ field: 'timezone', reason: `${JSON.stringify(input.timezone)} is not an IANA time zone (e.g. Asia/Shanghai)` });
  }
  if (errors.length > 0) return fail(invalid(errors));
  return ok({
    externalId: input.externalId,
    name: input.name ?? null,
    locale: input.locale ?? null,
    timezone: input.timezone ?? null,
    consents: input.consents ?? {},
    attributes: input.attributes ?? {},
    identities,
  });
}

/** Two writes to one customer in a batch become one: later fields win, maps merge. */
export function mergeCustomer(earlier: PreparedCustomer, later: PreparedCustomer): PreparedCustomer {
  const identities = new Map(earlier.identities.map((i) => [i.kind, i]));
  for (const identity of later.identities) identities.set(identity.kind, identity);
  return {
    externalId: later.externalId,
    name: later.name ?? earlier.name,
    locale: later.locale ?? earlier.locale,
    timezone: later.timezone ?? earlier.timezone,
    consents: { ...earlier.consents, ...later.consents },
    attributes: { ...earlier.attributes, ...later.attributes },
    identities: [...identities.values()],
  };
}
