import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, startHarness } from './support/harness.js';

/** The agent desk's live feed: a server-sent `desk` event whenever the queue or a conversation changes. */
describe('GET /v1/agent/events', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness('pglite');
    await h.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => h?.close());

  /** Reads `desk` events from the stream as they come. */
  async function openStream(key = ADMIN_KEY) {
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/agent/events`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    // A read that lost a race against the timeout still holds the next chunk: keep it for the next call.
    let pending: ReturnType<typeof reader.read> | undefined;
    const next = async (timeoutMs: number): Promise<{ version: string } | undefined> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const cut = buffer.indexOf('\n\n');
        if (cut >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = /^event: desk\ndata: (.*)$/m.exec(event);
          if (data) return JSON.parse(data[1]!) as { version: string };
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left))]);
        if (chunk === 'timeout') return undefined;
        pending = undefined;
        if (chunk.done) return undefined;
        buffer += chunk.value;
      }
    };
    return { response, next, close: () => controller.abort() };
  }

  it('sends the current version at once, then a new one when a conversation is handed to a person', async () => {
    const stream = await openStream();
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await stream.next(5000);
    expect(first?.version).toBeTruthy();
    // Nothing changes: nothing is sent.
    expect(await stream.next(1500)).toBeUndefined();
    await h.call('POST', '/v1/customers', { externalId: 'ev-debtor', locale: 'en', timezone: 'UTC', identities: { phone: '+14155550177' }, consents: { sms: true } });
    const inbound = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: '+14155550177' }, text: 'I want to speak to a human' });
    expect(inbound.status).toBe(200);
    const changed = await stream.next(5000);
    expect(changed?.version).toBeTruthy();
    expect(changed!.version).not.toBe(first!.version);
    stream.close();
  });

  it('is for the desk\'s roles only', async () => {
    const analyst = (await h.call('POST', '/v1/api-keys', { name: 'ev-analyst', role: 'analyst' })).body.key as string;
    expect((await fetch(`${base}/v1/agent/events`, { headers: { authorization: `Bearer ${analyst}` } })).status).toBe(403);
    expect((await fetch(`${base}/v1/agent/events`)).status).toBe(401);
  });

  it('ends open streams when the server closes, instead of holding the close', async () => {
    const stream = await openStream();
    expect(await stream.next(5000)).toBeDefined();
    const started = Date.now();
    await h.server.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
