import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal webhook gateway for the send benchmark: it checks X-Recoup-Signature and the
 * Idempotency-Key as a real one would (so their cost on our side is not skipped), and answers {id}.
 */
export interface GatewayPeer {
  url: string;
  received: number;
  badSignatures: number;
  distinctKeys: Set<string>;
  close(): Promise<void>;
}

export async function startGatewayPeer(secret: string): Promise<GatewayPeer> {
  const peer: Omit<GatewayPeer, 'url' | 'close'> = { received: 0, badSignatures: 0, distinctKeys: new Set() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
      peer.received += 1;
      if (req.headers['x-recoup-signature'] !== expected) {
        peer.badSignatures += 1;
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
        return;
      }
      peer.distinctKeys.add(String(req.headers['idempotency-key']));
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `gw-${peer.received}` }));
    });
  });
  // The client keeps connections alive; the server must not be the one to drop them mid-run.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(peer, {
    url: `http://127.0.0.1:${port}/messages`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
