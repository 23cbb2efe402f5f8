import { createVerify, type KeyObject } from 'node:crypto';
import { startHttpPeer, type HttpPeer, type RecordedRequest, type Reply } from './http-peer.js';

/**
 * Google's OAuth token endpoint (JWT-bearer grant, RS256 checked against the service account's public
 * key) and FCM HTTP v1 messages:send, answering with FCM's error shape.
 */
export interface FcmPeer extends HttpPeer {
  tokenUri: string;
  tokenExchanges: Array<{ iss: string; scope: string; aud: string; iat: number; exp: number }>;
  sent: Array<{ token: string; notification: { title: string; body: string }; data: Record<string, string> }>;
  /** Registration tokens that belong to an installed app; others are UNREGISTERED. */
  devices: Set<string>;
  revokeAccessTokens(): void;
}

function fcmError(status: number, canonical: string, errorCode?: string): Reply {
  const details = errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [];
  return { status, json: { error: { code: status, message: `${canonical} ${errorCode ?? ''}`.trim(), status: canonical, details } } };
}

function verifyJwt(assertion: string, publicKey: KeyObject): FcmPeer['tokenExchanges'][number] | undefined {
  const [header, claims, signature] = assertion.split('.');
  if (!header || !claims || !signature) return undefined;
  const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
  if (head.alg !== 'RS256') return undefined;
  const ok = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature, 'base64url'));
  return ok ? (JSON.parse(Buffer.from(claims, 'base64url').toString()) as FcmPeer['tokenExchanges'][number]) : undefined;
}

export async function startFcmPeer(projectId: string, clientEmail: string, publicKey: KeyObject): Promise<FcmPeer> {
  const tokenExchanges: FcmPeer['tokenExchanges'] = [];
  const sent: FcmPeer['sent'] = [];
  const devices = new Set<string>();
  const accessTokens = new Set<string>();
  let counter = 0;

  const token = (request: RecordedRequest): Reply => {
    const form = new URLSearchParams(request.raw);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, json: { error: 'unsupported_grant_type' } };
    const claims = verifyJwt(form.get('assertion') ?? '', publicKey);
    if (!claims || claims.iss !== clientEmail || claims.exp <= claims.iat) return { status: 400, json: { error: 'invalid_grant' } };
    tokenExchanges.push(claims);
    const value = `ya29.test-${++counter}`;
    accessTokens.add(value);
    return { status: 200, json: { access_token: value, expires_in: 3599, token_type: 'Bearer' } };
  };

  const send = (request: RecordedRequest): Reply => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !accessTokens.has(bearer)) return fcmError(401, 'UNAUTHENTICATED');
    const body = JSON.parse(request.raw) as { message?: FcmPeer['sent'][number] };
    if (!body.message?.token) return fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT');
    if (!devices.has(body.message.token)) return fcmError(404, 'NOT_FOUND', 'UNREGISTERED');
    sent.push(body.message);
    return { status: 200, json: { name: `projects/${projectId}/messages/${++counter}` } };
  };

  const peer = await startHttpPeer((request) => {
    if (request.method === 'POST' && request.url.pathname === '/token') return token(request);
    if (request.method === 'POST' && request.url.pathname === `/v1/projects/${projectId}/messages:send`) return send(request);
    return { status: 404, text: 'not found' };
  });
  return Object.assign(peer, {
    tokenUri: `${peer.url}/token`,
    tokenExchanges,
    sent,
    devices,
    revokeAccessTokens: () => accessTokens.clear(),
  });
}

export { fcmError };
