/**
 * Words that end reminders on the channel they arrive on, whatever else the assistant understands.
 * Carrier conventions: STOP and its US synonyms; 退订, TD and T in China.
 */
const KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', '退订', 'TD', 'T', '取消订阅']);

export function isOptOutKeyword(text: string): boolean {
  // Full-width letters (ＳＴＯＰ) and trailing punctuation are common on phone keyboards.
  const normalised = text
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!。！,，]+$/u, '')
    .toUpperCase();
  return KEYWORDS.has(normalised);
}
