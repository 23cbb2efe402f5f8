import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Short signed pay links, `{publicUrl}/p/<token>`, for SMS where every character costs. The general
 * signed links (src/core/signed-links.ts) carry JSON and run past 110 characters; this token packs the
 * customer id (16 bytes) and the expiry (4 bytes, seconds) with an 80-bit MAC into 40 characters. 80
 * bits is ample for a link that can only be guessed online, one request at a time.
 */
export const PAY_LINK_PATH = '/p/';
const MAC_BYTES = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A debtor may open an old reminder weeks later; the page behind the link shows what is owed then.
const LINK_DAYS = 60;

export interface PayLinks {
  /** The link for a customer, valid for LINK_DAYS from `now`. */
  urlFor(customerId: string, now: Date): string;
  /** The customer id a token was issued for, or undefined when forged, altered, malformed or expired. */
  verify(token: string, now: Date): string | undefined;
}

function uuidFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function createPayLinks(publicUrl: string, secretBase64: string): PayLinks {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secretBase64, 'base64'), Buffer.alloc(0), 'recoup short pay links v1', 32));
  const mac = (body: Buffer) => createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES);
  const base = publicUrl.replace(/\/$/, '') + PAY_LINK_PATH;
  return {
    urlFor(customerId, now) {
      if (!UUID.test(customerId)) throw new Error('pay links are issued for customer ids (UUIDs) only');
      const body = Buffer.alloc(20);
      Buffer.from(customerId.replaceAll('-', ''), 'hex').copy(body, 0);
      body.writeUInt32BE(Math.floor(now.getTime() / 1000) + LINK_DAYS * 86_400, 16);
      return base + Buffer.concat([body, mac(body)]).toString('base64url');
    },
    verify(token, now) {
      // Only the one canonical spelling: base64url ignores spare bits, so decode-then-compare would accept several.
      if (!/^[A-Za-z0-9_-]{40}$/.test(token)) return undefined;
      const raw = Buffer.from(token, 'base64url');
      if (raw.length !== 20 + MAC_BYTES || raw.toString('base64url') !== token) return undefined;
      const body = raw.subarray(0, 20);
      if (!timingSafeEqual(raw.subarray(20), mac(body))) return undefined;
      if (body.readUInt32BE(16) * 1000 < now.getTime()) return undefined;
      return uuidFromBytes(body.subarray(0, 16));
    },
  };
}
