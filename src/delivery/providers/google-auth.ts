import { createSign } from 'node:crypto';
import { classifyStatus, httpRequest, isRecord, parseJson, ProviderError, snippet } from './http.js';

/** The fields of a Google service-account JSON key that the JWT-bearer grant needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  token_uri: string;
}

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export type AccessTokenSource = ((signal: AbortSignal) => Promise<string>) & { invalidate?: () => void };

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** An RS256 JWT asserting the service account, valid one hour (Google's maximum). */
export function signServiceAccountJwt(key: ServiceAccountKey, scope: string, nowSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({ iss: key.client_email, scope, aud: key.token_uri, iat: nowSeconds, exp: nowSeconds + 3600 }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key.private_key);
  return `${header}.${claims}.${base64url(signature)}`;
}

export interface TokenSourceOptions {
  scope?: string;
  timeoutMs?: number;
  now?: () => number;
  /** Renew this long before expiry so a token never dies in flight. */
  marginSeconds?: number;
}

/**
 * OAuth 2.0 JWT-bearer grant (RFC 7523) against the key's token_uri, cached until shortly before
 * expiry; concurrent callers share one exchange.
 */
export function createServiceAccountTokenSource(key: ServiceAccountKey, options: TokenSourceOptions = {}): AccessTokenSource {
  const now = options.now ?? Date.now;
  const marginMs = (options.marginSeconds ?? 60) * 1000;
  let cached: { value: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  const exchange = async (signal: AbortSignal): Promise<string> => {
    const assertion = signServiceAccountJwt(key, options.scope ?? FCM_SCOPE, Math.floor(now() / 1000));
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    const response = await httpRequest(
      key.token_uri,
      { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      signal,
      options.timeoutMs,
    );
    const parsed = parseJson(response.text);
    if (response.status !== 200) {
      const failure = classifyStatus(response, '');
      // invalid_grant / invalid_client: a wrong or revoked key will not fix itself.
      const kind = response.status === 400 || failure.kind === 'rejected' ? 'misconfigured' : failure.kind;
      throw new ProviderError(kind, `token exchange failed: HTTP ${response.status} ${snippet(response.text)}`, failure.retryAfterMs);
    }
    if (!isRecord(parsed) || typeof parsed.access_token !== 'string') {
      throw new ProviderError('bad_response', `token exchange answered without access_token: ${snippet(response.text)}`);
    }
    const expiresIn = typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600;
    cached = { value: parsed.access_token, expiresAt: now() + expiresIn * 1000 - marginMs };
    return parsed.access_token;
  };

  const source: AccessTokenSource = (signal) => {
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.value);
    inflight ??= exchange(signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  source.invalidate = () => {
    cached = undefined;
  };
  return source;
}
