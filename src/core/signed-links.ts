import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Tokens for links a debtor opens without logging in (unsubscribe, later the chat page): the payload
 * and its expiry, signed with a key derived from the instance secret. Tampering or expiry gives
 * undefined, never a partial answer.
 */
export interface LinkSigner {
  sign(payload: Record<string, string>, expiresAt: Date): string;
  verify(token: string, now: Date): Record<string, string> | undefined;
}

export function createLinkSigner(secretBase64: string): LinkSigner {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secretBase64, 'base64'), Buffer.alloc(0), 'recoup signed links v1', 32));
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    sign(payload, expiresAt) {
      const body = Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, now) {
      const [body, signature] = token.split('.');
      if (!body || !signature) return undefined;
      // Compare the text, not the decoded bytes: base64url ignores the spare bits of the last character,
      // so several spellings decode to the same MAC and a decoded comparison would accept all of them.
      const given = Buffer.from(signature);
      const expected = Buffer.from(mac(body).toString('base64url'));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const { exp, ...payload } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, string> & { exp: number };
      if (typeof exp !== 'number' || exp * 1000 < now.getTime()) return undefined;
      return payload;
    },
  };
}
