import { describe, expect, it } from 'vitest';
import { generateSecret } from '../compliance/pii-vault.js';
import { createLinkSigner } from './signed-links.js';

describe('signed links', () => {
  const signer = createLinkSigner(generateSecret());
  const now = new Date('2026-03-01T00:00:00Z');
  const later = new Date('2026-03-02T00:00:00Z');

  it('round-trips a payload until it expires', () => {
    const token = signer.sign({ customer: 'c1', channel: 'email' }, later);
    expect(signer.verify(token, now)).toEqual({ customer: 'c1', channel: 'email' });
    expect(signer.verify(token, new Date('2026-03-02T00:00:01Z'))).toBeUndefined();
  });

  it('refuses a token whose payload or signature was changed, or signed with another secret', () => {
    const token = signer.sign({ customer: 'c1', channel: 'email' }, later);
    const [, signature] = token.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ customer: 'c2', channel: 'email', exp: 1_900_000_000 })).toString('base64url');
    expect(signer.verify(`${forgedBody}.${signature}`, now)).toBeUndefined();
    expect(signer.verify(`${token}x`, now)).toBeUndefined();
    expect(createLinkSigner(generateSecret()).verify(token, now)).toBeUndefined();
    expect(signer.verify('garbage', now)).toBeUndefined();
  });

  it('refuses every other spelling of the same signature (the spare bits of the last base64url character)', () => {
    const token = signer.sign({ customer: 'c1', channel: 'email' }, later);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = token.at(-1)!;
    // A 32-byte MAC is 43 characters; the last one carries 4 bits, so 3 other letters decode alike.
    const sameBytes = [...alphabet].filter((c) => c !== last && alphabet.indexOf(c) >> 2 === alphabet.indexOf(last) >> 2);
    expect(sameBytes).toHaveLength(3);
    for (const c of sameBytes) expect(signer.verify(token.slice(0, -1) + c, now)).toBeUndefined();
  });
});
