import { describe, expect, it } from 'vitest';
import { buildTextReply, cdata, MAX_WECHAT_XML_BYTES, parseFlatXml } from './wechat-xml.js';

const TEXT_PUSH = `<xml>
  <ToUserName><![CDATA[gh_account]]></ToUserName>
  <FromUserName><![CDATA[oUser-1]]></FromUserName>
  <CreateTime>1772323200</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[我想查 <账单> & 还款]]></Content>
  <MsgId>24531234567890123</MsgId>
</xml>`;

describe('parseFlatXml', () => {
  it('reads CDATA and plain text fields of a WeChat push', () => {
    const parsed = parseFlatXml(TEXT_PUSH);
    expect(parsed).toEqual({
      ok: true,
      fields: { ToUserName: 'gh_account', FromUserName: 'oUser-1', CreateTime: '1772323200', MsgType: 'text', Content: '我想查 <账单> & 还款', MsgId: '24531234567890123' },
    });
  });

  it('decodes the predefined entities and numeric references in plain text, and nothing else', () => {
    const parsed = parseFlatXml('<?xml version="1.0"?><xml><A>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#36;&#x4E2D; &nbsp; &#xD800;</A><B/></xml>');
    expect(parsed).toEqual({ ok: true, fields: { A: 'a <b> & "c" \'d\' $中 &nbsp; &#xD800;', B: '' } });
  });

  it('keeps CDATA verbatim, joins CDATA split around ]]>, and skips comments and nested elements', () => {
    const parsed = parseFlatXml('<xml><!-- hi --><A><![CDATA[x ]]]]><![CDATA[> &amp;]]></A><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType></ScanCodeInfo><C>1</C></xml>');
    expect(parsed).toEqual({ ok: true, fields: { A: 'x ]]> &amp;', C: '1' } });
  });

  it('refuses DTDs, so no entity can be declared or expanded', () => {
    const parsed = parseFlatXml('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>');
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringContaining('DTD') });
  });

  it('refuses bodies over 64 KiB, counted in bytes', () => {
    const filler = '中'.repeat(Math.ceil(MAX_WECHAT_XML_BYTES / 3));
    expect(parseFlatXml(`<xml><A>${filler}</A></xml>`)).toMatchObject({ ok: false, reason: expect.stringContaining('64 KiB') });
    expect(parseFlatXml(`<xml><A>${'a'.repeat(60_000)}</A></xml>`).ok).toBe(true);
  });

  it('refuses what is not one flat <xml> document', () => {
    for (const bad of ['', 'hello', '<root><A>1</A></root>', '<xml><A>1</B></xml>', '<xml><A>1</A>', '<xml><A><![CDATA[x</A></xml>', '<xml><A>1</A></xml><xml/>', '<xml><A>1</A><A>2</A></xml>', '<xml><A>a < b</A></xml>']) {
      expect(parseFlatXml(bad).ok, bad).toBe(false);
    }
    const deep = `<xml><A>${'<B>'.repeat(20)}x${'</B>'.repeat(20)}</A></xml>`;
    expect(parseFlatXml(deep)).toMatchObject({ ok: false, reason: expect.stringContaining('deeply') });
  });

  it('gives no field a prototype name a body could abuse', () => {
    const parsed = parseFlatXml('<xml><__proto__>x</__proto__></xml>');
    expect(parsed.ok && Object.getPrototypeOf(parsed.fields)).toBe(null);
    expect(parsed.ok && parsed.fields.__proto__).toBe('x');
  });
});

describe('buildTextReply', () => {
  it('writes a passive text reply that the parser reads back, whatever the content holds', () => {
    const content = 'Reply ]]> & <b>bold</b> 退订';
    const xml = buildTextReply({ toUser: 'oUser-1', fromUser: 'gh_account', createTime: 1772323200.9, content });
    expect(parseFlatXml(xml)).toEqual({ ok: true, fields: { ToUserName: 'oUser-1', FromUserName: 'gh_account', CreateTime: '1772323200', MsgType: 'text', Content: content } });
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });
});
