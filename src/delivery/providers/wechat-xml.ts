/**
 * WeChat's push XML is flat: `<xml><Tag><![CDATA[...]]></Tag><Tag>123</Tag>...</xml>`. This reads
 * exactly that shape and nothing more, so no general XML parser (with its entity expansion and DTDs)
 * ever sees an unauthenticated body: a DOCTYPE is refused, only the five predefined entities and
 * numeric references are decoded, and bodies are capped.
 */

export const MAX_WECHAT_XML_BYTES = 64 * 1024;
// Nested elements (e.g. ScanCodeInfo in menu events) are skipped, not read; this bounds the recursion.
const MAX_DEPTH = 8;

export type FlatXml = { ok: true; fields: Record<string, string> } | { ok: false; reason: string };

const OPEN = /<([A-Za-z_][\w.-]*)\s*(\/?)>/y;
const CLOSE = /<\/([A-Za-z_][\w.-]*)\s*>/y;
const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, ref: string) => {
    if (!ref.startsWith('#')) return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

interface Element {
  name: string;
  /** null when the element holds other elements rather than text. */
  value: string | null;
  end: number;
}

/** Skips whitespace and comments; returns the next position. */
function skipMisc(s: string, i: number): number | string {
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i += 1;
    if (!s.startsWith('<!--', i)) return i;
    const end = s.indexOf('-->', i + 4);
    if (end < 0) return 'unclosed comment';
    i = end + 3;
  }
}

/** Reads one element at `i`. With a sink, its text children are collected there (the root's fields). */
function readElement(s: string, i: number, depth: number, sink?: Record<string, string>): Element | string {
  OPEN.lastIndex = i;
  const open = OPEN.exec(s);
  if (!open) return `expected an element at offset ${i}`;
  const name = open[1]!;
  if (open[2] === '/') return { name, value: '', end: OPEN.lastIndex };
  let j = OPEN.lastIndex;
  let value = '';
  let nested = false;
  while (j < s.length) {
    if (s.startsWith('<![CDATA[', j)) {
      const end = s.indexOf(']]>', j + 9);
      if (end < 0) return `unclosed CDATA in <${name}>`;
      value += s.slice(j + 9, end);
      j = end + 3;
    } else if (s.startsWith('<!--', j)) {
      const end = s.indexOf('-->', j + 4);
      if (end < 0) return 'unclosed comment';
      j = end + 3;
    } else if (s.startsWith('</', j)) {
      CLOSE.lastIndex = j;
      const close = CLOSE.exec(s);
      if (!close || close[1] !== name) return `<${name}> is closed by something else at offset ${j}`;
      return { name, value: nested ? null : value, end: CLOSE.lastIndex };
    } else if (s[j] === '<') {
      if (depth >= MAX_DEPTH) return 'elements nested too deeply';
      const child = readElement(s, j, depth + 1);
      if (typeof child === 'string') return child;
      if (sink && child.value !== null) {
        // Two FromUserName tags would let a body say two things at once: refuse rather than pick one.
        if (Object.hasOwn(sink, child.name)) return `duplicate <${child.name}>`;
        sink[child.name] = child.value;
      }
      nested = true;
      j = child.end;
    } else {
      const next = s.indexOf('<', j);
      if (next < 0) break;
      value += decodeEntities(s.slice(j, next));
      j = next;
    }
  }
  return `<${name}> is not closed`;
}

/** Parses WeChat's flat push XML into its root's text fields, or says why it is not that. */
export function parseFlatXml(body: string): FlatXml {
  if (Buffer.byteLength(body, 'utf8') > MAX_WECHAT_XML_BYTES) return { ok: false, reason: `body is over ${MAX_WECHAT_XML_BYTES / 1024} KiB` };
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return { ok: false, reason: 'DTDs and entity declarations are not accepted' };
  let i: number | string = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  i = skipMisc(body, i);
  if (typeof i === 'string') return { ok: false, reason: i };
  if (body.startsWith('<?xml', i)) {
    const end = body.indexOf('?>', i);
    if (end < 0) return { ok: false, reason: 'unclosed XML declaration' };
    i = skipMisc(body, end + 2);
    if (typeof i === 'string') return { ok: false, reason: i };
  }
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const root = readElement(body, i, 0, fields);
  if (typeof root === 'string') return { ok: false, reason: root };
  if (root.name !== 'xml') return { ok: false, reason: `the root element is <${root.name}>, not <xml>` };
  const after = skipMisc(body, root.end);
  if (typeof after === 'string') return { ok: false, reason: after };
  if (after !== body.length) return { ok: false, reason: `unexpected content after </xml> at offset ${after}` };
  return { ok: true, fields };
}

/** A CDATA section holding any text: a `]]>` inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The passive reply to a text message: WeChat delivers it in the same chat, no API call needed. */
export function buildTextReply(input: { toUser: string; fromUser: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(input.toUser)}</ToUserName><FromUserName>${cdata(input.fromUser)}</FromUserName>` +
    `<CreateTime>${Math.floor(input.createTime)}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(input.content)}</Content></xml>`
  );
}
