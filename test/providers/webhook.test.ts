import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookProvider, verifyWebhookSignature } from '../../src/delivery/providers/webhook-provider.js';
import { refusedPort } from '../support/peers/http-peer.js';
import { startWebhookPeer, type WebhookPeer } from '../support/peers/webhook-peer.js';
import { message, never } from './message.js';

const SECRET = 'whsec-0123456789abcdef';
let peer: WebhookPeer;
beforeAll(async () => {
  peer = await startWebhookPeer(SECRET);
});
afterAll(() => peer.close());

const provider = (overrides: { secret?: string; timeoutMs?: number; url?: string } = {}) =>
  createWebhookProvider({ url: `${peer.url}/hooks/recoup`, secret: SECRET, now: () => new Date('2025-03-01T00:00:00Z'), ...overrides });

describe('webhook provider', () => {
  it('POSTs the message as signed JSON with timestamp and idempotency key, and takes the id', async () => {
    const result = await provider().send(message('sms'), never());
    expect(result).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^gw-/) });
    const got = peer.received.at(-1);
    expect(got?.signatureValid).toBe(true);
    expect(got?.timestamp).toBe(String(Date.parse('2025-03-01T00:00:00Z') / 1000));
    expect(got?.idempotencyKey).toBe('rcv-42.stage-m1.sms.1');
    expect(got?.body).toMatchObject({ attemptId: 'att-1', channel: 'sms', content: { text: expect.stringContaining('overdue') } });
  });

  it('classifies a wrong secret (401) as misconfigured, not retryable', async () => {
    expect(await provider({ secret: 'not-the-shared-secret' }).send(message('sms'), never())).toMatchObject({ ok: false, kind: 'misconfigured' });
  });

  it.each([
    [{ status: 429, json: {}, headers: { 'retry-after': '30' } }, { kind: 'rate_limited', retryAfterMs: 30_000 }],
    [{ status: 503, text: 'down' }, { kind: 'server_error' }],
    [{ status: 422, json: { error: 'no such number' } }, { kind: 'rejected' }],
    ['garbage' as const, { kind: 'bad_response' }],
    [{ status: 200, json: { received: true } }, { kind: 'bad_response' }],
  ])('classifies %j', async (reply, expected) => {
    peer.script(reply);
    expect(await provider().send(message('sms'), never())).toMatchObject({ ok: false, ...expected });
  });

  it('times out on a gateway that never answers', async () => {
    peer.script('hang');
    const started = Date.now();
    expect(await provider({ timeoutMs: 200 }).send(message('sms'), never())).toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the caller aborts', async () => {
    peer.script('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await provider().send(message('sms'), controller.signal)).toMatchObject({ ok: false, kind: 'timeout', reason: expect.stringContaining('caller') });
  });

  it('reports a refused connection as network', async () => {
    const port = await refusedPort();
    expect(await provider({ url: `http://127.0.0.1:${port}/x` }).send(message('sms'), never())).toMatchObject({ ok: false, kind: 'network' });
  });
});

describe('verifyWebhookSignature', () => {
  const body = '{"id":"gw-1","status":"delivered"}';
  const header = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const now = new Date('2025-03-01T00:00:00Z');
  const ts = String(now.getTime() / 1000);

  it('accepts the right signature within the tolerance', () => {
    expect(verifyWebhookSignature(body, header, ts, SECRET, now, 300)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), header, String(Number(ts) - 299), SECRET, now, 300)).toBe(true);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and malformed headers', () => {
    expect(verifyWebhookSignature(body.replace('delivered', 'failed'), header, ts, SECRET, now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, header, ts, 'another-secret', now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, header, String(Number(ts) - 301), SECRET, now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, header.slice(0, -2), ts, SECRET, now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, header.replace('sha256=', ''), ts, SECRET, now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, undefined, ts, SECRET, now, 300)).toBe(false);
    expect(verifyWebhookSignature(body, header, 'yesterday', SECRET, now, 300)).toBe(false);
  });
});
