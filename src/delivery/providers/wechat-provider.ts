import type { ChannelProvider, OutboundMessage, SendResult } from '../provider.js';
import { classifyStatus, failure, guarded, httpRequest, isRecord, parseJson, ProviderError, snippet, type Failure } from './http.js';

export interface WeChatOptions {
  baseUrl?: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
  /** Refresh this long before WeChat says the token expires, so a send never races the expiry. */
  tokenMarginSeconds?: number;
  now?: () => number;
  id?: string;
}

/** errcodes meaning "this access token is no longer good": fetch a new one and try once more. */
const STALE_TOKEN = new Set([40001, 40014, 42001]);

interface CachedToken {
  value: string;
  expiresAt: number;
}

export function createWeChatProvider(options: WeChatOptions): ChannelProvider {
  const base = (options.baseUrl ?? 'https://api.weixin.qq.com').replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const marginMs = (options.tokenMarginSeconds ?? 300) * 1000;
  let cached: CachedToken | undefined;
  // Concurrent sends share one token request: WeChat caps token fetches per day and each new
  // token invalidates the previous one after a short grace period.
  let inflight: Promise<string> | undefined;

  const token = (signal: AbortSignal): Promise<string> => {
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.value);
    inflight ??= fetchToken(base, options, signal)
      .then((fresh) => {
        cached = { value: fresh.value, expiresAt: now() + fresh.expiresInMs - marginMs };
        return fresh.value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return {
    id: options.id ?? 'wechat',
    channels: ['wechat'],
    send: (message, signal) =>
      guarded(async () => {
        const built = templatePayload(message);
        if (!built.ok) return built;
        const { payload } = built;
        let outcome = await sendTemplate(base, await token(signal), payload, options, signal);
        if (outcome.staleToken) {
          cached = undefined;
          outcome = await sendTemplate(base, await token(signal), payload, options, signal);
        }
        return outcome.result;
      }),
  };
}

function templatePayload(message: OutboundMessage): { ok: true; payload: Record<string, unknown> } | Failure {
  const openId = message.to.wechatOpenId;
  if (!openId) return failure('invalid_recipient', 'recipient has no WeChat openid');
  const template = message.content.wechatTemplate;
  if (!template) return failure('misconfigured', 'wechat message has no template (content.wechatTemplate)');
  const data = Object.fromEntries(Object.entries(template.data).map(([key, value]) => [key, { value }]));
  return { ok: true, payload: { touser: openId, template_id: template.templateId, ...(template.url ? { url: template.url } : {}), data } };
}

async function fetchToken(base: string, options: WeChatOptions, signal: AbortSignal): Promise<{ value: string; expiresInMs: number }> {
  const query = new URLSearchParams({ grant_type: 'client_credential', appid: options.appId, secret: options.appSecret });
  const response = await httpRequest(`${base}/cgi-bin/token?${query}`, { method: 'GET' }, signal, options.timeoutMs);
  if (response.status !== 200) throw new ProviderError(classifyStatus(response, '').kind, `wechat token: HTTP ${response.status}`);
  const body = parseJson(response.text);
  if (isRecord(body) && typeof body.access_token === 'string' && typeof body.expires_in === 'number') {
    return { value: body.access_token, expiresInMs: body.expires_in * 1000 };
  }
  const errcode = isRecord(body) ? body.errcode : undefined;
  const reason = `wechat token: ${snippet(response.text)}`;
  if (errcode === -1) throw new ProviderError('server_error', reason);
  if (errcode === 45009) throw new ProviderError('rate_limited', reason);
  // 40013 bad appid, 40125 bad secret, 40164 caller IP not whitelisted: all need an operator.
  if (typeof errcode === 'number') throw new ProviderError('misconfigured', reason);
  throw new ProviderError('bad_response', reason);
}

interface TemplateOutcome {
  staleToken: boolean;
  result: SendResult;
}

async function sendTemplate(
  base: string,
  accessToken: string,
  payload: Record<string, unknown>,
  options: WeChatOptions,
  signal: AbortSignal,
): Promise<TemplateOutcome> {
  const response = await httpRequest(
    `${base}/cgi-bin/message/template/send?access_token=${encodeURIComponent(accessToken)}`,
    { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } },
    signal,
    options.timeoutMs,
  );
  if (response.status !== 200) return { staleToken: false, result: classifyStatus(response, `wechat HTTP ${response.status}: ${snippet(response.text)}`) };
  const body = parseJson(response.text);
  const errcode = isRecord(body) ? body.errcode : undefined;
  if (!isRecord(body) || typeof errcode !== 'number') {
    return { staleToken: false, result: failure('bad_response', `wechat answered without errcode: ${snippet(response.text)}`) };
  }
  if (errcode === 0) {
    const msgid = body.msgid;
    if (typeof msgid !== 'number' && typeof msgid !== 'string') return { staleToken: false, result: failure('bad_response', 'wechat answered ok without msgid') };
    return { staleToken: false, result: { ok: true, providerMessageId: String(msgid) } };
  }
  return { staleToken: STALE_TOKEN.has(errcode), result: classifyErrcode(errcode, `wechat errcode ${errcode}: ${String(body.errmsg ?? '')}`) };
}

function classifyErrcode(errcode: number, reason: string): SendResult {
  switch (errcode) {
    case 43004: // recipient does not follow the official account
    case 40003: // openid not valid for this app
      return failure('invalid_recipient', reason);
    case 45009: // daily API quota reached
    case 45047:
      return failure('rate_limited', reason);
    case -1: // system busy
      return failure('server_error', reason);
    case 40037: // template id not valid
    case 40001:
    case 40014:
    case 42001:
      return failure('misconfigured', reason);
    default:
      return failure('rejected', reason);
  }
}
