/** Escapes for HTML text and attributes, and for XML (TwiML): the five reserved characters as numeric references. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
