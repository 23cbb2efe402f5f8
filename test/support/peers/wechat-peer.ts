import { startHttpPeer, type HttpPeer, type RecordedRequest, type Reply } from './http-peer.js';

/**
 * The WeChat Official Account API: client_credential tokens and template messages, with the errcodes
 * WeChat really returns (HTTP 200 always; the outcome is in errcode).
 */
export interface WeChatPeer extends HttpPeer {
  readonly tokenRequests: number;
  sent: Array<{ touser: string; template_id: string; url?: string; data: Record<string, { value: string }> }>;
  followers: Set<string>;
  /** Invalidate every issued token, as WeChat does when another server fetched a new one. */
  expireTokens(): void;
}

export async function startWeChatPeer(appId: string, appSecret: string): Promise<WeChatPeer> {
  const valid = new Set<string>();
  const followers = new Set<string>();
  const sent: WeChatPeer['sent'] = [];
  const state = { tokenRequests: 0, issued: 0, msgid: 1000 };

  const token = (request: RecordedRequest): Reply => {
    state.tokenRequests++;
    const q = request.url.searchParams;
    if (q.get('grant_type') !== 'client_credential') return { status: 200, json: { errcode: 40002, errmsg: 'invalid grant_type' } };
    if (q.get('appid') !== appId) return { status: 200, json: { errcode: 40013, errmsg: 'invalid appid' } };
    if (q.get('secret') !== appSecret) return { status: 200, json: { errcode: 40125, errmsg: 'invalid appsecret' } };
    const value = `token-${++state.issued}`;
    valid.add(value);
    return { status: 200, json: { access_token: value, expires_in: 7200 } };
  };

  const template = (request: RecordedRequest): Reply => {
    if (!valid.has(request.url.searchParams.get('access_token') ?? '')) {
      return { status: 200, json: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
    }
    const body = JSON.parse(request.raw) as WeChatPeer['sent'][number];
    if (!body.touser || !body.template_id || typeof body.data !== 'object') return { status: 200, json: { errcode: 47001, errmsg: 'data format error' } };
    if (!body.touser.startsWith('o')) return { status: 200, json: { errcode: 40003, errmsg: 'invalid openid' } };
    if (!followers.has(body.touser)) return { status: 200, json: { errcode: 43004, errmsg: 'require subscribe' } };
    sent.push(body);
    return { status: 200, json: { errcode: 0, errmsg: 'ok', msgid: ++state.msgid } };
  };

  const peer = await startHttpPeer((request) => {
    if (request.method === 'GET' && request.url.pathname === '/cgi-bin/token') return token(request);
    if (request.method === 'POST' && request.url.pathname === '/cgi-bin/message/template/send') return template(request);
    return { status: 404, text: 'not found' };
  });
  // A getter, not a copied number: Object.assign would freeze the count at zero.
  Object.defineProperty(peer, 'tokenRequests', { get: () => state.tokenRequests });
  return Object.assign(peer as HttpPeer & { readonly tokenRequests: number }, { sent, followers, expireTokens: () => valid.clear() });
}
