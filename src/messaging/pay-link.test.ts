import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPayLinks } from './pay-link.js';

const secret = randomBytes(32).toString('base64');
const customer = '0190a5c3-7d2e-7b4a-9f00-1234567890ab';
const now = new Date('2026-03-01T00:00:00Z');

describe('short pay links', () => {
  it('are /p/<40 characters> under the public URL and verify back to the customer', () => {
    const links = createPayLinks('https://pay.example.com/', secret);
    const url = links.urlFor(customer, now);
    expect(url).toMatch(/^https:\/\/pay\.example\.com\/p\/[A-Za-z0-9_-]{40}$/);
    expect(links.verify(url.split('/p/')[1]!, now)).toBe(customer);
  });

  it('refuse an altered, foreign, non-canonical or expired token', () => {
    const links = createPayLinks('https://pay.example.com', secret);
    const token = links.urlFor(customer, now).split('/p/')[1]!;
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    expect(links.verify(flipped, now)).toBeUndefined();
    expect(createPayLinks('https://pay.example.com', randomBytes(32).toString('base64')).verify(token, now)).toBeUndefined();
    expect(links.verify(`${token}A`, now)).toBeUndefined();
    expect(links.verify('not-a-token', now)).toBeUndefined();
    expect(links.verify(token, new Date(now.getTime() + 59 * 86_400_000))).toBe(customer);
    expect(links.verify(token, new Date(now.getTime() + 61 * 86_400_000))).toBeUndefined();
  });

  it('refuses to issue a link for something that is not a customer id', () => {
    expect(() => createPayLinks('https://x', secret).urlFor('../../admin', now)).toThrow(/UUID/);
  });
});
