import { hasHan } from './text-features.js';
import type { NluLocale } from './types.js';

/** Any Han character means Chinese: a Chinese message often carries English words, rarely the reverse. */
export function detectLocale(text: string): NluLocale {
  return hasHan(text) ? 'zh-CN' : 'en';
}
