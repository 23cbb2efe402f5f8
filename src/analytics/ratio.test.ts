import { describe, expect, it } from 'vitest';
import { ratio } from './ratio.js';

describe('ratio', () => {
  it('rounds half up to four places', () => {
    expect(ratio(1n, 3n)).toBe('0.3333');
    expect(ratio(2n, 3n)).toBe('0.6667');
    expect(ratio(1n, 8n)).toBe('0.1250');
    expect(ratio(1n, 20000n)).toBe('0.0001');
    expect(ratio(1n, 20001n)).toBe('0.0000');
  });

  it('keeps whole parts and exact large sums', () => {
    expect(ratio(3n, 2n)).toBe('1.5000');
    expect(ratio(123456789012345678901n, 123456789012345678901n)).toBe('1.0000');
  });

  it('is null, not zero, when there is nothing to divide by', () => {
    expect(ratio(0n, 0n)).toBeNull();
    expect(ratio(0n, 5n)).toBe('0.0000');
  });
});
