import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../../src/delivery/providers/registry.js';
import { startWebhookPeer, type WebhookPeer } from '../support/peers/webhook-peer.js';
import { message, never } from './message.js';

let peer: WebhookPeer;
beforeAll(async () => {
  peer = await startWebhookPeer('registry-secret-0123');
});
afterAll(() => peer.close());

function errorsOf(config: unknown): string[] {
  const result = createProviderRegistry(config);
  return result.ok ? [] : result.errors;
}

describe('provider registry', () => {
  it('defaults every channel to one shared sandbox', async () => {
    const result = createProviderRegistry({});
    if (!result.ok) throw new Error(result.errors.join('; '));
    const { registry } = result;
    for (const channel of ['sms', 'email', 'voice', 'push', 'wechat', 'app'] as const) expect(registry.forChannel(channel).id).toBe('sandbox');
    await registry.forChannel('sms').send(message('sms'), never());
    await registry.forChannel('wechat').send(message('wechat'), never());
    expect(registry.sandbox.sent.map((r) => r.message.channel)).toEqual(['sms', 'wechat']);
  });

  it('builds the configured provider per channel, and a webhook one really posts', async () => {
    const result = createProviderRegistry({
      sms: { provider: 'twilio', accountSid: 'AC1', authToken: 't', from: '+15005550006' },
      email: { provider: 'smtp', host: '127.0.0.1', port: 2525, from: 'billing@recoup.test' },
      wechat: { provider: 'wechat', appId: 'wx', appSecret: 's' },
      app: { provider: 'webhook', url: `${peer.url}/in`, secret: 'registry-secret-0123' },
    });
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(['sms', 'email', 'wechat', 'app', 'voice'].map((c) => result.registry.forChannel(c as never).id)).toEqual(['twilio', 'smtp', 'wechat', 'webhook', 'sandbox']);
    expect(await result.registry.forChannel('app').send(message('app'), never())).toMatchObject({ ok: true });
    expect(peer.received.at(-1)?.signatureValid).toBe(true);
  });

  it('names the path of a missing field', () => {
    expect(errorsOf({ sms: { provider: 'twilio', authToken: 't' } })).toContain('providers.sms.accountSid is required');
  });

  it('refuses a provider that cannot serve the channel, an unknown channel, and an unknown field', () => {
    expect(errorsOf({ email: { provider: 'twilio', accountSid: 'a', authToken: 'b' } })).toEqual(['providers.email.provider must be one of sandbox, webhook, smtp']);
    expect(errorsOf({ fax: { provider: 'sandbox' } })[0]).toMatch(/^providers\.fax is not a channel/);
    expect(errorsOf({ push: { provider: 'fcm', projectId: 'p', serviceAccount: { client_email: 'e', private_key: 'k', token_uri: 'https://oauth2.googleapis.com/token' }, colour: 'red' } })).toEqual([
      'providers.push.colour is not a known field',
    ]);
  });

  it('checks values, not only presence', () => {
    const errors = errorsOf({ sms: { provider: 'webhook', url: 'ftp://x', secret: 'short' }, email: { provider: 'smtp', host: 'h', port: 70000, from: 'a@b.c' } });
    expect(errors.some((e) => e.startsWith('providers.sms.url '))).toBe(true);
    expect(errors.some((e) => e.startsWith('providers.sms.secret '))).toBe(true);
    expect(errors.some((e) => e.startsWith('providers.email.port '))).toBe(true);
  });
});
