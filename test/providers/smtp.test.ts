import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySmtpError, createSmtpProvider } from '../../src/delivery/providers/smtp-provider.js';
import { refusedPort } from '../support/peers/http-peer.js';
import { message, never } from './message.js';

const received: ParsedMail[] = [];
let connections = 0;
let server: SMTPServer;
let port: number;

/** A real SMTP server on loopback; recipient local parts choose how it answers. */
beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0] ?? '';
      const code = /^code(\d{3})$/.exec(local)?.[1];
      if (code) return callback(Object.assign(new Error(`${code} simulated`), { responseCode: Number(code) }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (session.envelope.rcptTo.some((r) => r.address.startsWith('spamtrap'))) {
          return callback(Object.assign(new Error('554 message refused as spam'), { responseCode: 554 }));
        }
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const provider = (overrides: { port?: number; timeoutMs?: number } = {}) =>
  createSmtpProvider({ host: '127.0.0.1', port, from: 'Recoup <billing@recoup.test>', replyTo: 'help@recoup.test', timeoutMs: 2000, ...overrides });

const email = (to: string, unsubscribeUrl?: string) =>
  message('email', {
    idempotencyKey: `key-${to}`,
    to: { email: to },
    content: { text: 'Your bill is overdue.', html: '<p>Your bill is <b>overdue</b>.</p>', subject: 'Payment reminder', ...(unsubscribeUrl ? { unsubscribeUrl } : {}) },
  });

describe('smtp provider', () => {
  it('delivers HTML and text parts with one-click unsubscribe headers and a Message-ID from the key', async () => {
    const result = await provider().send(email('debtor@example.com', 'https://recoup.test/u/abc'), never());
    // '@' is not allowed in a Message-ID local part, so this key is hashed; the domain comes from `from`.
    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^<[0-9a-f]{40}@recoup\.test>$/) });
    const mail = received.at(-1);
    expect(mail?.text?.trim()).toBe('Your bill is overdue.');
    expect(mail?.html).toContain('<b>overdue</b>');
    expect(mail?.subject).toBe('Payment reminder');
    expect(mail?.from?.text).toContain('billing@recoup.test');
    expect(mail?.replyTo?.text).toBe('help@recoup.test');
    const line = (key: string) => mail?.headerLines.find((h) => h.key === key)?.line;
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(line('list-unsubscribe')).toBe('List-Unsubscribe: <https://recoup.test/u/abc>');
    expect(result.ok && mail?.messageId).toBe(result.ok ? result.providerMessageId : false);
  });

  it('keeps the same Message-ID for the same idempotency key and omits List-Unsubscribe without a URL', async () => {
    const a = await provider().send(email('again@example.com'), never());
    const b = await provider().send(email('again@example.com'), never());
    expect(a).toEqual(b);
    expect(received.at(-1)?.headerLines.some((h) => h.key.startsWith('list-unsubscribe'))).toBe(false);
  });

  it('refuses a recipient without an email address without connecting', async () => {
    const before = connections;
    expect(await provider().send(message('email', { to: { phone: '+1415' } }), never())).toMatchObject({ ok: false, kind: 'invalid_recipient' });
    expect(connections).toBe(before);
  });

  it.each([
    ['code550@example.com', 'invalid_recipient'],
    ['code553@example.com', 'invalid_recipient'],
    ['code452@example.com', 'rate_limited'],
    ['code421@example.com', 'rate_limited'],
    ['code454@example.com', 'server_error'],
    ['code554@example.com', 'rejected'],
    ['spamtrap@example.com', 'rejected'],
  ])('classifies the server refusing %s as %s', async (to, kind) => {
    expect(await provider().send(email(to), never())).toMatchObject({ ok: false, kind });
  });

  it('reports a refused connection as network and a silent server as timeout', async () => {
    expect(await provider({ port: await refusedPort() }).send(email('a@example.com'), never())).toMatchObject({ ok: false, kind: 'network' });
    const silent: TcpServer = createTcpServer(() => undefined); // accepts, never greets
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const silentPort = (silent.address() as AddressInfo).port;
      expect(await provider({ port: silentPort, timeoutMs: 300 }).send(email('a@example.com'), never())).toMatchObject({ ok: false, kind: 'timeout' });
    } finally {
      silent.close();
    }
  });

  it('does not blame the address for a 550 content refusal after DATA', () => {
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA', response: '550 spam' })).toMatchObject({ kind: 'rejected' });
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 551, command: 'RCPT TO' })).toMatchObject({ kind: 'invalid_recipient' });
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toMatchObject({ kind: 'misconfigured' });
  });
});
