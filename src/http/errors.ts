import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import type { DomainError, DomainErrorType, FieldError } from '../core/errors.js';
import { schemaErrors } from '../core/validate.js';
import { MalformedJsonError } from './json-body.js';

/** The one place a domain error type becomes an HTTP status. */
export function statusFor(type: DomainErrorType): number {
  switch (type) {
    case 'validation':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'unsupported':
      return 415;
  }
}

export function sendDomainError(reply: FastifyReply, error: DomainError): FastifyReply {
  return reply.status(statusFor(error.type)).send({ error });
}

/** Thrown by the request validator; carries field errors already in the API's words. */
export class RequestValidationError extends Error {
  constructor(
    readonly part: string,
    readonly details: FieldError[],
  ) {
    super(`invalid ${part}: ${details.map((d) => `${d.field} ${d.reason}`).join('; ')}`);
  }
}

const PART_PREFIX: Record<string, string> = { body: '', querystring: 'query.', params: 'path.', headers: 'header.' };

/**
 * Query strings and path parameters arrive as text. Fields the schema declares as integer, number or
 * boolean are read from that text strictly ("2" is 2; "2.5" stays text and fails an integer check).
 */
export function coerceTextFields(schema: unknown, data: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | null)?.properties;
  if (!properties || data === null || typeof data !== 'object') return data;
  const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    const type = properties[key]?.type;
    if (typeof value !== 'string') continue;
    if (type === 'integer' && /^-?\d{1,15}$/.test(value)) out[key] = Number(value);
    else if (type === 'number' && /^-?\d{1,15}(\.\d{1,15})?$/.test(value)) out[key] = Number(value);
    else if (type === 'boolean' && (value === 'true' || value === 'false')) out[key] = value === 'true';
  }
  return out;
}

/** Validates requests with TypeBox itself, so route errors read exactly like batch-item errors. */
export function typeboxValidatorCompiler({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  const part = httpPart ?? 'body';
  return (raw: unknown) => {
    const data = part === 'querystring' || part === 'params' ? coerceTextFields(schema, raw) : raw;
    const details = schemaErrors(schema as TSchema, data);
    if (details.length === 0) return { value: data };
    const prefix = PART_PREFIX[part] ?? '';
    return { error: new RequestValidationError(part, details.map((d) => ({ ...d, field: `${prefix}${d.field}` }))) };
  };
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof RequestValidationError || cause instanceof RequestValidationError) {
    const validation = error instanceof RequestValidationError ? error : (cause as RequestValidationError);
    return sendDomainError(reply, { type: 'validation', message: validation.message, details: validation.details });
  }
  if (error instanceof MalformedJsonError || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return sendDomainError(reply, { type: 'validation', message: error.message, details: [{ field: '(body)', reason: 'is not valid JSON' }] });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.status(413).send({ error: { type: 'validation', message: 'request body is too large', details: [{ field: '(body)', reason: 'exceeds the size limit; split the batch' }] } });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendDomainError(reply, { type: 'unsupported', message: 'send application/json', details: [{ field: 'content-type', reason: 'must be application/json' }] });
  }
  const status = error.statusCode ?? 500;
  if (status < 500) {
    return reply.status(status).send({ error: { type: 'validation', message: error.message, details: [] } });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send({ error: { type: 'internal', message: 'internal error; the request was not applied', details: [] } });
}
