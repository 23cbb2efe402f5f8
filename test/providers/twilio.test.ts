import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../src/delivery/provider.js';
import { createTwilioProvider, parseTwilioWebhook, validateTwilioSignature, type TwilioOptions } from '../../src/delivery/providers/twilio-provider.js';
import { refusedPort } from '../support/peers/http-peer.js';
import { startTwilioPeer, type TwilioPeer } from '../support/peers/twilio-peer.js';
import { message, never } from './message.js';

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-1';
let peer: TwilioPeer;
let receiver: Server;
let callbackUrl: string;
const events: ProviderEvent[] = [];
const rejectedCallbacks: string[] = [];

/** Stands in for POST /v1/webhooks/twilio: checks the signature, then parses. */
function startReceiver(): Promise<void> {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(raw));
      if (!validateTwilioSignature(TOKEN, callbackUrl, params, req.headers['x-twilio-signature'] as string | undefined)) {
        rejectedCallbacks.push(raw);
        res.writeHead(401).end();
        return;
      }
      events.push(...parseTwilioWebhook(params));
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
}

beforeAll(async () => {
  peer = await startTwilioPeer(SID, TOKEN);
  await startReceiver();
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/webhooks/twilio`;
});
afterAll(async () => {
  await peer.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const provider = (overrides: Partial<TwilioOptions> = {}) =>
  createTwilioProvider({ baseUrl: peer.url, accountSid: SID, authToken: TOKEN, from: '+15005550006', statusCallbackUrl: callbackUrl, timeoutMs: 300, ...overrides });

describe('twilio provider: SMS', () => {
  it('sends a form-encoded message with Basic auth and gets the sid; the status callback comes back as a receipt', async () => {
    const result = await provider().send(message('sms'), never());
    expect(result).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^SM/) });
    expect(peer.messages.at(-1)).toEqual({ To: '+14155550123', From: '+15005550006', Body: 'Your bill of $128.50 is 3 days overdue.', StatusCallback: callbackUrl });
    if (!result.ok) throw new Error('unreachable');
    expect(await peer.sendStatusCallback(result.providerMessageId, 'delivered')).toBe(204);
    expect(events.at(-1)).toMatchObject({ kind: 'receipt', providerMessageId: result.providerMessageId, status: 'delivered' });
  });

  it('uses the messaging service instead of a sender when configured', async () => {
    await provider({ from: undefined, messagingServiceSid: 'MG123' }).send(message('sms'), never());
    expect(peer.messages.at(-1)).toMatchObject({ MessagingServiceSid: 'MG123' });
    expect(peer.messages.at(-1)).not.toHaveProperty('From');
  });

  it('maps an invalid number (21211) to invalid_recipient and an unsubscribed one (21610) to rejected', async () => {
    expect(await provider().send(message('sms', { to: { phone: '555-0123' } }), never())).toMatchObject({ ok: false, kind: 'invalid_recipient', reason: expect.stringContaining('21211') });
    peer.unsubscribed.add('+14155550999');
    expect(await provider().send(message('sms', { to: { phone: '+14155550999' } }), never())).toMatchObject({ ok: false, kind: 'rejected', reason: expect.stringContaining('21610') });
  });

  it('does not call the API for a recipient without a phone', async () => {
    const before = peer.requests.length;
    expect(await provider().send(message('sms', { to: { email: 'x@example.com' } }), never())).toMatchObject({ ok: false, kind: 'invalid_recipient' });
    expect(peer.requests.length).toBe(before);
  });

  it('treats wrong credentials (20003) as misconfigured', async () => {
    expect(await provider({ authToken: 'wrong' }).send(message('sms'), never())).toMatchObject({ ok: false, kind: 'misconfigured' });
  });

  it.each([
    [{ status: 429, json: { code: 20429, message: 'Too Many Requests', status: 429 }, headers: { 'retry-after': '7' } }, { kind: 'rate_limited', retryAfterMs: 7000 }],
    [{ status: 400, json: { code: 21614, message: 'not a mobile number', status: 400 } }, { kind: 'invalid_recipient' }],
    [{ status: 500, json: { code: 20500, message: 'Internal Server Error', status: 500 } }, { kind: 'server_error' }],
    [{ status: 503, text: 'Service Unavailable' }, { kind: 'server_error' }],
    ['garbage' as const, { kind: 'bad_response' }],
    ['hang' as const, { kind: 'timeout' }],
  ])('classifies %j', async (reply, expected) => {
    peer.script(reply);
    expect(await provider().send(message('sms'), never())).toMatchObject({ ok: false, ...expected });
  });

  it('reports a refused connection as network', async () => {
    const port = await refusedPort();
    expect(await provider({ baseUrl: `http://127.0.0.1:${port}` }).send(message('sms'), never())).toMatchObject({ ok: false, kind: 'network' });
  });
});

describe('twilio provider: voice', () => {
  it('places a call with the TwiML menu and a status callback; a no-answer comes back as a failed receipt', async () => {
    const twiml = '<Response><Gather numDigits="1"><Say>Press 1 for your bill, 2 for instalments, 0 for an agent.</Say></Gather></Response>';
    const result = await provider().send(message('voice', { content: { text: 'x', twiml } }), never());
    expect(result).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^CA/) });
    expect(peer.calls.at(-1)).toMatchObject({ To: '+14155550123', From: '+15005550006', Twiml: twiml, StatusCallback: callbackUrl });
    if (!result.ok) throw new Error('unreachable');
    await peer.sendStatusCallback(result.providerMessageId, 'no-answer');
    expect(events.at(-1)).toMatchObject({ kind: 'receipt', providerMessageId: result.providerMessageId, status: 'failed' });
  });

  it('speaks the text, XML-escaped, when no TwiML was rendered', async () => {
    await provider().send(message('voice', { content: { text: 'Pay <now> & save' } }), never());
    expect(peer.calls.at(-1)?.Twiml).toBe('<Response><Say>Pay &#60;now&#62; &#38; save</Say></Response>');
  });
});

describe('twilio signatures and webhooks', () => {
  // Twilio's published example (docs, "Validating requests").
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

  it("matches Twilio's documented test vector", () => {
    expect(validateTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
  });

  it('refuses a tampered parameter, another URL, another token or no header', () => {
    expect(validateTwilioSignature('12345', url, { ...params, Digits: '9999' }, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(validateTwilioSignature('12345', `${url}&x=1`, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(validateTwilioSignature('54321', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(validateTwilioSignature('12345', url, params, undefined)).toBe(false);
  });

  it('a forged callback is refused by the receiver and produces no event', async () => {
    const before = events.length;
    const response = await fetch(callbackUrl, { method: 'POST', body: new URLSearchParams({ MessageSid: 'SMx', MessageStatus: 'delivered' }), headers: { 'x-twilio-signature': 'AAAA' } });
    expect(response.status).toBe(401);
    expect(events.length).toBe(before);
    expect(rejectedCallbacks).toHaveLength(1);
  });

  it('parses receipts, inbound SMS, and ignores intermediate states', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    expect(parseTwilioWebhook({ MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003' }, at)).toEqual([
      { kind: 'receipt', providerMessageId: 'SM1', status: 'failed', at, reason: 'twilio error 30003' },
    ]);
    expect(parseTwilioWebhook({ MessageSid: 'SM2', MessageStatus: 'read' }, at)).toEqual([{ kind: 'receipt', providerMessageId: 'SM2', status: 'read', at }]);
    expect(parseTwilioWebhook({ MessageSid: 'SM3', MessageStatus: 'sent' }, at)).toEqual([]);
    expect(parseTwilioWebhook({ MessageSid: 'SM4', SmsStatus: 'received', From: '+14155550123', Body: 'STOP' }, at)).toEqual([
      { kind: 'inbound', channel: 'sms', from: { phone: '+14155550123' }, text: 'STOP', at, providerMessageId: 'SM4' },
    ]);
    expect(parseTwilioWebhook({ CallSid: 'CA1', CallStatus: 'completed' }, at)).toEqual([{ kind: 'receipt', providerMessageId: 'CA1', status: 'delivered', at }]);
  });
});
