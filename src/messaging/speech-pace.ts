/**
 * Whether a reminder call should be spoken slower: for customers flagged elderly, or who asked for it.
 * Read from the customer's attributes (`elderly: true`, or `speechRate: "slow"`), set through
 * POST /v1/customers like any other attribute.
 */
export function slowSpeechFor(attributes: Readonly<Record<string, unknown>> | undefined): boolean {
  if (!attributes) return false;
  return attributes.elderly === true || attributes.speechRate === 'slow';
}
