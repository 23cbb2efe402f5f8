import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { FieldError } from './errors.js';

type Validator = ReturnType<typeof Compile>;
const compiled = new WeakMap<TSchema, Validator>();

function validatorFor(schema: TSchema): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

/** JSON pointer "/identities/phone" becomes the dotted path "identities.phone" the API reports. */
export function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : part))
    .join('.')
    .replace(/\.\[/g, '[');
}

interface RawError {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns a schema error into "which field, and what is wrong with it". */
export function describeSchemaError(error: RawError): FieldError {
  const field = pointerToField(error.instancePath);
  const params = error.params ?? {};
  if (error.keyword === 'required' && Array.isArray(params.requiredProperties)) {
    const missing = String(params.requiredProperties[0]);
    return { field: field ? `${field}.${missing}` : missing, reason: 'is required' };
  }
  if (error.keyword === 'additionalProperties' && Array.isArray(params.additionalProperties)) {
    const extra = String(params.additionalProperties[0]);
    return { field: field ? `${field}.${extra}` : extra, reason: 'is not a known field' };
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return { field: field || '(body)', reason: `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { field: field || '(body)', reason: error.message ?? `fails ${error.keyword}` };
}

/** Checks a value against a TypeBox schema; returns one error per field, most specific first. */
export function schemaErrors(schema: TSchema, value: unknown): FieldError[] {
  const validator = validatorFor(schema);
  if (validator.Check(value)) return [];
  const errors = [...validator.Errors(value)] as RawError[];
  // "schema is false" repeats what additionalProperties already says, with less to go on.
  const useful = errors.filter((e) => !(e.keyword === 'boolean' && e.message === 'schema is false'));
  const seen = new Set<string>();
  const details: FieldError[] = [];
  for (const error of useful) {
    const detail = describeSchemaError(error);
    if (seen.has(detail.field)) continue;
    seen.add(detail.field);
    details.push(detail);
  }
  return details;
}
