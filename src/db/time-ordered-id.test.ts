import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('puts the milliseconds in the first 48 bits, then version 7 and random bits of the RFC 9562 variant', () => {
    const ids = Array.from({ length: 1000 }, () => timeOrderedId(0x0123456789ab));
    for (const id of ids) expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timeOrderedId(0x0123456789ac) > ids[0]!).toBe(true);
    expect(timeOrderedId(0).startsWith('00000000-0000-7')).toBe(true);
  });
});
