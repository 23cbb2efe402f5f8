import type { Channel } from '../../src/db/schema.js';
import type { ChannelProvider, OutboundMessage, SendResult } from '../../src/delivery/provider.js';

/** An in-process provider that records what it was given and answers from a script, for queue tests. */
export function recordingProvider(id: string, script: (message: OutboundMessage, call: number) => SendResult | Promise<SendResult> = () => ({ ok: true, providerMessageId: 'x' })) {
  const received: OutboundMessage[] = [];
  const provider: ChannelProvider & { received: OutboundMessage[] } = {
    id,
    channels: ['sms', 'email', 'voice', 'push', 'wechat', 'app'] as Channel[],
    received,
    async send(message) {
      received.push(message);
      return script(message, received.length);
    },
  };
  return provider;
}
