import type { Channel } from '../../src/db/schema.js';
import type { OutboundMessage } from '../../src/delivery/provider.js';

/** A plausible outbound message; tests override only what they are about. */
export function message(channel: Channel, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    attemptId: 'att-1',
    idempotencyKey: 'rcv-42.stage-m1.sms.1',
    channel,
    customerId: 'cus-7',
    locale: 'en',
    to: { phone: '+14155550123', email: 'debtor@example.com', wechatOpenId: 'oFollower1', pushToken: 'device-token-1' },
    content: { text: 'Your bill of $128.50 is 3 days overdue.', subject: 'Payment reminder' },
    ...overrides,
  };
}

export const never = (): AbortSignal => new AbortController().signal;
