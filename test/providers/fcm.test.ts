import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFcmProvider } from '../../src/delivery/providers/fcm-provider.js';
import { FCM_SCOPE } from '../../src/delivery/providers/google-auth.js';
import { fcmError, startFcmPeer, type FcmPeer } from '../support/peers/fcm-peer.js';
import { message, never } from './message.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const EMAIL = 'recoup@test-project.iam.gserviceaccount.com';
let peer: FcmPeer;
beforeAll(async () => {
  peer = await startFcmPeer('test-project', EMAIL, publicKey);
  peer.devices.add('device-token-1');
});
afterAll(() => peer.close());

const provider = (key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) =>
  createFcmProvider({ baseUrl: peer.url, projectId: 'test-project', serviceAccount: { client_email: EMAIL, private_key: key, token_uri: peer.tokenUri }, timeoutMs: 300 });

const push = (token = 'device-token-1') => message('push', { to: { pushToken: token }, content: { text: 'Bill overdue', title: 'Recoup' } });

describe('fcm provider', () => {
  it('exchanges a signed JWT for a token once, then sends notifications with it', async () => {
    const p = provider();
    const exchanges = peer.tokenExchanges.length;
    const first = await p.send(push(), never());
    await p.send(push(), never());
    expect(first).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^projects\/test-project\/messages\//) });
    expect(peer.tokenExchanges.length - exchanges).toBe(1);
    expect(peer.tokenExchanges.at(-1)).toMatchObject({ iss: EMAIL, scope: FCM_SCOPE, aud: peer.tokenUri });
    expect(peer.sent.at(-1)).toEqual({
      token: 'device-token-1',
      notification: { title: 'Recoup', body: 'Bill overdue' },
      data: { attemptId: 'att-1', idempotencyKey: 'rcv-42.stage-m1.sms.1' },
    });
  });

  it('re-exchanges once when FCM says the access token is no longer valid', async () => {
    const p = provider();
    await p.send(push(), never());
    peer.revokeAccessTokens();
    const exchanges = peer.tokenExchanges.length;
    expect(await p.send(push(), never())).toMatchObject({ ok: true });
    expect(peer.tokenExchanges.length - exchanges).toBe(1);
  });

  it('a key the token endpoint does not accept is misconfigured', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await provider(other).send(push(), never())).toMatchObject({ ok: false, kind: 'misconfigured', reason: expect.stringContaining('invalid_grant') });
  });

  it('maps an unregistered device to invalid_recipient', async () => {
    expect(await provider().send(push('uninstalled-app'), never())).toMatchObject({ ok: false, kind: 'invalid_recipient', reason: expect.stringContaining('UNREGISTERED') });
  });

  it.each([
    [fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT'), { kind: 'invalid_recipient' }],
    [{ ...(fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED') as object), headers: { 'retry-after': '60' } } as never, { kind: 'rate_limited', retryAfterMs: 60_000 }],
    [fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE'), { kind: 'server_error' }],
    [fcmError(500, 'INTERNAL', 'INTERNAL'), { kind: 'server_error' }],
    [{ status: 502, text: 'bad gateway' }, { kind: 'server_error' }],
    ['garbage' as const, { kind: 'bad_response' }],
    ['hang' as const, { kind: 'timeout' }],
  ])('classifies %j', async (reply, expected) => {
    const p = provider();
    await p.send(push(), never()); // warm the token so the script hits messages:send
    peer.script(reply);
    expect(await p.send(push(), never())).toMatchObject({ ok: false, ...expected });
  });

  it('accepts a custom token function', async () => {
    const seen: string[] = [];
    const p = createFcmProvider({
      baseUrl: peer.url,
      projectId: 'test-project',
      getAccessToken: async () => {
        seen.push('asked');
        return 'not-issued-by-google';
      },
    });
    expect(await p.send(push(), never())).toMatchObject({ ok: false, kind: 'misconfigured' });
    expect(seen.length).toBe(1);
  });
});
