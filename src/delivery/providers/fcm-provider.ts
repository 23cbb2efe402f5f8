import type { ChannelProvider, OutboundMessage, SendResult } from '../provider.js';
import { createServiceAccountTokenSource, type AccessTokenSource, type ServiceAccountKey } from './google-auth.js';
import { classifyStatus, failure, guarded, httpRequest, isRecord, parseJson, parseRetryAfter, ProviderError, snippet, type HttpResponse } from './http.js';

export interface FcmOptions {
  baseUrl?: string;
  projectId: string;
  /** Either a token function (tests, workload identity) or a service-account key to exchange. */
  getAccessToken?: AccessTokenSource;
  serviceAccount?: ServiceAccountKey;
  timeoutMs?: number;
  id?: string;
}

export function createFcmProvider(options: FcmOptions): ChannelProvider {
  const url = `${(options.baseUrl ?? 'https://fcm.googleapis.com').replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`;
  const token = tokenSource(options);
  return {
    id: options.id ?? 'fcm',
    channels: ['push'],
    send: (message, signal) =>
      guarded(async () => {
        if (!message.to.pushToken) return failure('invalid_recipient', 'recipient has no push token');
        const body = JSON.stringify(fcmPayload(message, message.to.pushToken));
        let response = await post(url, body, await accessToken(token, signal), options, signal);
        // A revoked or expired token the cache did not know about: one fresh exchange, then give up.
        if (response.status === 401 && token.invalidate) {
          token.invalidate();
          response = await post(url, body, await accessToken(token, signal), options, signal);
        }
        return interpret(response);
      }),
  };
}

function tokenSource(options: FcmOptions): AccessTokenSource {
  if (options.getAccessToken) return options.getAccessToken;
  if (options.serviceAccount) {
    return createServiceAccountTokenSource(options.serviceAccount, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  }
  return () => Promise.reject(new ProviderError('misconfigured', 'fcm needs getAccessToken or serviceAccount'));
}

async function accessToken(source: AccessTokenSource, signal: AbortSignal): Promise<string> {
  try {
    return await source(signal);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    // A custom token function failing for an unknown reason: retryable, the queue bounds the retries.
    throw new ProviderError('network', `access token unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fcmPayload(message: OutboundMessage, token: string): unknown {
  const { content } = message;
  // FCM data values must be strings; the ids let the app report opens back against this attempt.
  const data: Record<string, string> = { attemptId: message.attemptId, idempotencyKey: message.idempotencyKey };
  return { message: { token, notification: { title: content.title ?? content.subject ?? '', body: content.text }, data } };
}

function post(url: string, body: string, bearer: string, options: FcmOptions, signal: AbortSignal): Promise<HttpResponse> {
  return httpRequest(
    url,
    { method: 'POST', body, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' } },
    signal,
    options.timeoutMs,
  );
}

/** FCM puts its own code in details[].errorCode; the canonical status is the fallback. */
function fcmErrorCode(body: unknown): string | undefined {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const details = Array.isArray(body.error.details) ? body.error.details : [];
  for (const detail of details) {
    if (isRecord(detail) && typeof detail.errorCode === 'string') return detail.errorCode;
  }
  return typeof body.error.status === 'string' ? body.error.status : undefined;
}

function interpret(response: HttpResponse): SendResult {
  const body = parseJson(response.text);
  if (response.status >= 200 && response.status < 300) {
    if (isRecord(body) && typeof body.name === 'string' && body.name) return { ok: true, providerMessageId: body.name };
    return failure('bad_response', `fcm answered ${response.status} without a message name: ${snippet(response.text)}`);
  }
  const code = fcmErrorCode(body);
  const reason = `fcm ${response.status}${code ? ` ${code}` : ''}: ${snippet(response.text)}`;
  switch (code) {
    case 'UNREGISTERED':
    case 'INVALID_ARGUMENT':
    case 'SENDER_ID_MISMATCH':
      return failure('invalid_recipient', reason);
    case 'QUOTA_EXCEEDED':
    case 'RESOURCE_EXHAUSTED':
      return failure('rate_limited', reason, parseRetryAfter(response.headers.get('retry-after')));
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return failure('server_error', reason);
    case 'THIRD_PARTY_AUTH_ERROR':
    case 'PERMISSION_DENIED':
    case 'UNAUTHENTICATED':
      return failure('misconfigured', reason);
    default:
      return classifyStatus(response, reason);
  }
}
