import { createHmac } from 'node:crypto';
import { startHttpPeer, type HttpPeer } from './http-peer.js';

/** An in-house gateway: checks our HMAC itself (independently of the code under test) and answers {id}. */
export interface WebhookPeer extends HttpPeer {
  received: Array<{ body: unknown; signatureValid: boolean; timestamp: string | undefined; idempotencyKey: string | undefined }>;
}

export async function startWebhookPeer(secret: string): Promise<WebhookPeer> {
  const received: WebhookPeer['received'] = [];
  let next = 1;
  const peer = await startHttpPeer((request) => {
    const expected = `sha256=${createHmac('sha256', secret).update(request.raw).digest('hex')}`;
    const signatureValid = request.headers['x-recoup-signature'] === expected;
    received.push({
      body: JSON.parse(request.raw) as unknown,
      signatureValid,
      timestamp: request.headers['x-recoup-timestamp'] as string | undefined,
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
    });
    if (!signatureValid) return { status: 401, json: { error: 'bad signature' } };
    return { status: 202, json: { id: `gw-${next++}` } };
  });
  return Object.assign(peer, { received });
}
