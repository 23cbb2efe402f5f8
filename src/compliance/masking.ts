/** How an identity is shown to anyone but its owner: enough to recognise it, not enough to use it. */
export function maskIdentity(kind: string, value: string): string {
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) return `${value[0]}***${value.slice(at)}`;
  }
  const visible = value.length > 6 ? 4 : Math.max(0, value.length - 3);
  return `****${value.slice(value.length - visible)}`;
}

const PHONE_LIKE = /\+?\d[\d\s().-]{5,}\d/g;
// "2026-03-01", "01.03.2026", "3/1/2026": dates people write next to their details, not phone numbers.
const DATE_LIKE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})$/;
const EMAIL_LIKE = /[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+/g;

/**
 * Masks phone numbers and emails inside free text that comes back from a gateway ("The 'To' number
 * +15005550001 is not valid"), before it is stored or shown: error reasons are not PII's place.
 */
export function redactContactDetails(text: string): string {
  return text
    .replace(EMAIL_LIKE, (email) => maskIdentity('email', email))
    // Fewer than seven digits is a status code or a count ("550 5.1.1"), not a phone number.
    .replace(PHONE_LIKE, (match) => {
      const digits = match.replace(/\D/g, '');
      return digits.length < 7 || DATE_LIKE.test(match.trim()) ? match : maskIdentity('phone', digits);
    });
}
