import type { LinkSigner } from '../core/signed-links.js';
import type { Channel } from '../db/schema.js';

// Long enough that an old email still works; an expired link can always be answered with STOP.
const LINK_DAYS = 180;

export function unsubscribeUrlFor(publicUrl: string, links: LinkSigner): (customerId: string, channel: Channel, now: Date) => string {
  return (customerId, channel, now) => {
    const token = links.sign({ c: customerId, ch: channel }, new Date(now.getTime() + LINK_DAYS * 86_400_000));
    return `${publicUrl}/v1/unsubscribe?token=${token}`;
  };
}
