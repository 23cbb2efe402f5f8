import { describe, expect, it } from 'vitest';
import { measureSms } from './sms-segments.js';

describe('measureSms', () => {
  it('fits 160 GSM-7 characters in one part and splits longer text in parts of 153', () => {
    expect(measureSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(measureSms('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(measureSms('a'.repeat(306)).segments).toBe(2);
    expect(measureSms('a'.repeat(307)).segments).toBe(3);
  });

  it('counts GSM-7 extension characters as two septets and keeps the pair in one part', () => {
    expect(measureSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    // 152 plain septets then €: the escape pair would straddle the part boundary, so it moves to part 2.
    expect(measureSms(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
    expect(measureSms('£$¥ are GSM-7').encoding).toBe('GSM-7');
  });

  it('switches to UCS-2 for any other character: 70 in one part, 67 per part', () => {
    expect(measureSms('您'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(measureSms('您'.repeat(71)).segments).toBe(2);
    expect(measureSms('您'.repeat(134)).segments).toBe(2);
    expect(measureSms('您'.repeat(135)).segments).toBe(3);
    // One Chinese character turns a whole English text into UCS-2.
    expect(measureSms(`${'a'.repeat(100)}王`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 units then an emoji (2 units): the pair does not fit in part 1's 67 and starts part 2.
    const text = `${'a'.repeat(66)}😀${'a'.repeat(66)}`;
    expect(measureSms(text)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});
