import { checkMessageContent, type ContentScanner } from '../compliance/scanner/index.js';
import type { ContentGate } from './write-message.js';

/** The compliance scanner as the writer's gate: every readable part of the message, checked as sent. */
export function scannerGate(scanner: ContentScanner): ContentGate {
  return (content, { channel, locale }) => {
    const verdict = checkMessageContent(scanner, channel, { ...content, locale });
    return { allowed: verdict.allowed, reason: verdict.blockedBy ? `${verdict.blockedBy.rule} (${verdict.blockedBy.match})` : undefined };
  };
}
