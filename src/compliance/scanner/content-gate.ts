import type { Channel } from '../../db/schema.js';
import type { ContentScanner } from './index.js';
import type { Violation } from './evaluate.js';

/**
 * The gate's view of a stored message: every part a recipient can read or hear (text, subject,
 * title, HTML and TwiML without their tags, WeChat fields, app card strings) is scanned as one text,
 * so that a threat hidden in the subject line or the HTML part is caught like one in the body.
 */
export interface GateVerdict {
  allowed: boolean;
  violations: Violation[];
  /** The first blocking violation: the rule the delivery record names. */
  blockedBy?: Violation;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Markup to the words it shows: tags become spaces, character references are decoded. */
function visibleText(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}

function stringsIn(value: unknown, out: string[], depth = 0): void {
  if (depth > 4) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out, depth + 1);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, out, depth + 1);
}

/** The readable parts of a message's stored content, each once. */
export function readableParts(content: Record<string, unknown>): string[] {
  const parts: string[] = [];
  for (const key of ['subject', 'title', 'text'] as const) if (typeof content[key] === 'string') parts.push(content[key]);
  if (typeof content.html === 'string') parts.push(visibleText(content.html));
  if (typeof content.twiml === 'string') parts.push(visibleText(content.twiml));
  if (typeof content.disclosureTwiml === 'string') parts.push(visibleText(content.disclosureTwiml));
  const wechat = content.wechatTemplate as { data?: unknown } | undefined;
  if (wechat && typeof wechat === 'object') stringsIn(wechat.data, parts);
  if (content.card && typeof content.card === 'object') stringsIn(content.card, parts);
  // The HTML part repeats the text part: scanning it twice only doubles the violations.
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p.length > 0))];
}

/**
 * Checks a message as the delivery worker is about to send it. A message the scanner cannot read
 * (too long) is refused too: nothing leaves unchecked.
 */
export function checkMessageContent(scanner: ContentScanner, channel: Channel, content: Record<string, unknown>): GateVerdict {
  const locale = content.locale === 'zh-CN' ? 'zh-CN' : 'en';
  const text = readableParts(content).join('\n');
  const result = scanner.check(text, { channel, locale, aiGenerated: content.aiGenerated === true });
  if (!result.ok) {
    const refused: Violation = { rule: 'content.unscannable', family: 'missing_required_part', severity: 'block', match: result.error.details[0]?.reason ?? result.error.message };
    return { allowed: false, violations: [refused], blockedBy: refused };
  }
  const seen = new Set<string>();
  const violations = result.value.violations.filter((v) => {
    const key = `${v.rule}\u0000${v.match}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const blockedBy = violations.find((v) => v.severity === 'block');
  return blockedBy ? { allowed: false, violations, blockedBy } : { allowed: true, violations };
}
