import { describe, expect, it } from 'vitest';
import { createSandboxProvider } from '../../src/delivery/providers/sandbox-provider.js';
import { message, never } from './message.js';

describe('sandbox provider', () => {
  it('records every message and gives the same id to the same idempotency key', async () => {
    const sandbox = createSandboxProvider();
    const first = await sandbox.send(message('sms'), never());
    const again = await sandbox.send(message('sms'), never());
    const other = await sandbox.send(message('email', { idempotencyKey: 'other' }), never());
    expect(first).toEqual(again);
    expect(first.ok && other.ok && first.providerMessageId !== other.providerMessageId).toBe(true);
    expect(sandbox.sent.map((r) => r.message.channel)).toEqual(['sms', 'sms', 'email']);
  });

  it('fails on demand, queued failures first, then by rule', async () => {
    const sandbox = createSandboxProvider({ failWith: (m) => (m.channel === 'voice' ? { kind: 'invalid_recipient' } : undefined) });
    sandbox.failNext('rate_limited', 1, 5000);
    expect(await sandbox.send(message('sms'), never())).toMatchObject({ ok: false, kind: 'rate_limited', retryAfterMs: 5000 });
    expect(await sandbox.send(message('sms'), never())).toMatchObject({ ok: true });
    expect(await sandbox.send(message('voice'), never())).toMatchObject({ ok: false, kind: 'invalid_recipient' });
    expect(sandbox.sent).toHaveLength(1);
    expect(sandbox.failed.map((f) => f.kind)).toEqual(['rate_limited', 'invalid_recipient']);
  });

  it('does not record a message whose send was already aborted', async () => {
    const sandbox = createSandboxProvider();
    expect(await sandbox.send(message('sms'), AbortSignal.abort())).toMatchObject({ ok: false, kind: 'timeout' });
    expect(sandbox.sent).toHaveLength(0);
  });
});
