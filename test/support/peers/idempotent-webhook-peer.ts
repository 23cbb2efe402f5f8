import { createHmac, timingSafeEqual } from 'node:crypto';
import { startHttpPeer, type HttpPeer, type RecordedRequest, type Reply } from './http-peer.js';

/**
 * A webhook gateway as a real one behaves: it checks X-Recoup-Signature itself, accepts a message the
 * moment it arrives (before answering), and answers a repeated Idempotency-Key with the id it gave the
 * first time instead of sending again. While `holding` says so, it keeps a request open before
 * answering, so that a worker can be killed with sends in flight.
 */
export interface IdempotentWebhookPeer extends HttpPeer {
  /** Every signed request, in arrival order, with its key (duplicates included). */
  readonly arrivals: string[];
  /** Key → the gateway id given at first acceptance. */
  readonly accepted: Map<string, string>;
  /** Keys whose request is being held open right now. */
  readonly heldOpen: Set<string>;
  /** Requests that failed the signature check. */
  readonly badSignatures: number;
  /** Decides, per first-time arrival (0-based), whether to hold it open; undefined holds nothing. */
  holding: ((firstTimeIndex: number) => boolean) | undefined;
  /** Answers every held request now (a killed client's sockets are gone; that is fine). */
  releaseAll(): void;
}

function signatureValid(request: RecordedRequest, secret: string): boolean {
  const header = request.headers['x-recoup-signature'];
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.raw).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startIdempotentWebhookPeer(secret: string, holdMs = 30_000): Promise<IdempotentWebhookPeer> {
  const arrivals: string[] = [];
  const accepted = new Map<string, string>();
  const heldOpen = new Set<string>();
  const releases = new Set<() => void>();
  const state = { badSignatures: 0, next: 1 };
  let peer: IdempotentWebhookPeer;

  const hold = (key: string) =>
    new Promise<void>((done) => {
      heldOpen.add(key);
      const release = () => {
        clearTimeout(timer);
        releases.delete(release);
        heldOpen.delete(key);
        done();
      };
      const timer = setTimeout(release, holdMs);
      releases.add(release);
    });

  const handle = async (request: RecordedRequest): Promise<Reply> => {
    if (request.method !== 'POST') return { status: 404, text: 'not found' };
    if (!signatureValid(request, secret)) {
      state.badSignatures += 1;
      return { status: 401, json: { error: 'bad signature' } };
    }
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return { status: 400, json: { error: 'Idempotency-Key required' } };
    arrivals.push(key);
    const known = accepted.get(key);
    // A repeat is answered with the first id and is not sent again: that is what the key is for.
    if (known) return { status: 200, json: { id: known, duplicate: true } };
    const id = `gw-${state.next++}`;
    accepted.set(key, id);
    if (peer.holding?.(accepted.size - 1)) await hold(key);
    return { status: 202, json: { id } };
  };

  const base = await startHttpPeer(handle);
  peer = Object.assign(base, {
    arrivals,
    accepted,
    heldOpen,
    holding: undefined,
    releaseAll: () => [...releases].forEach((release) => release()),
  }) as unknown as IdempotentWebhookPeer;
  Object.defineProperty(peer, 'badSignatures', { get: () => state.badSignatures });
  const close = base.close;
  peer.close = async () => {
    peer.releaseAll();
    await close();
  };
  return peer;
}
