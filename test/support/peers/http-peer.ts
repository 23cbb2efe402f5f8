import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on loopback that gateway fakes build on: it records, then answers as told. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  raw: string;
}

export type Reply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Accept the request and never answer: the client's deadline must fire. */
  | 'hang'
  /** 200 with a body that is not JSON. */
  | 'garbage';

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface HttpPeer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Answer the next requests with these replies, in order, before the protocol handler. */
  script(...replies: Reply[]): void;
  close(): Promise<void>;
}

function write(res: ServerResponse, reply: Exclude<Reply, 'hang'>): void {
  if (reply === 'garbage') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 upstream sad</html>');
    return;
  }
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
  const type = reply.json !== undefined ? 'application/json' : 'text/plain';
  res.writeHead(reply.status, { 'content-type': type, ...reply.headers }).end(body);
}

export async function startHttpPeer(handler: Handler): Promise<HttpPeer> {
  const requests: RecordedRequest[] = [];
  const scripted: Reply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(scripted.shift() ?? handler(recorded)).then(
        (reply) => {
          if (reply !== 'hang') write(res, reply);
        },
        (error: unknown) => write(res, { status: 500, text: String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that refuses connections: bind one, note it, and close it again. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
