import { describe, expect, it } from 'vitest';
import { slowSpeechFor } from './speech-pace.js';

describe('slowSpeechFor', () => {
  it('is slow for customers flagged elderly or who asked for slow speech, and normal otherwise', () => {
    expect(slowSpeechFor({ elderly: true })).toBe(true);
    expect(slowSpeechFor({ speechRate: 'slow' })).toBe(true);
    expect(slowSpeechFor({ elderly: 'yes', speechRate: 'fast' })).toBe(false);
    expect(slowSpeechFor({})).toBe(false);
    expect(slowSpeechFor(undefined)).toBe(false);
  });
});
