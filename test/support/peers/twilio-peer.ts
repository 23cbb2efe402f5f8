import { createHmac } from 'node:crypto';
import { startHttpPeer, type HttpPeer, type RecordedRequest, type Reply } from './http-peer.js';

/**
 * A Twilio-compatible REST API: form-encoded Messages.json and Calls.json under the account, HTTP Basic
 * auth checked, E.164 numbers checked, and status callbacks posted back signed the way Twilio signs them.
 */
export interface TwilioPeer extends HttpPeer {
  messages: Array<Record<string, string>>;
  calls: Array<Record<string, string | string[]>>;
  /** Numbers that have replied STOP to our sender (Twilio error 21610). */
  unsubscribed: Set<string>;
  /** POST a status callback for a sid to the StatusCallback URL it was sent with. */
  sendStatusCallback(sid: string, status: string, extra?: Record<string, string>): Promise<number>;
}

function formToRecord(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return out;
}

function twilioError(status: number, code: number, message: string): Reply {
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** Written here from Twilio's documentation, not imported, so the provider's helper is tested against it. */
function sign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(url + data).digest('base64');
}

export async function startTwilioPeer(accountSid: string, authToken: string): Promise<TwilioPeer> {
  const messages: TwilioPeer['messages'] = [];
  const calls: TwilioPeer['calls'] = [];
  const unsubscribed = new Set<string>();
  const callbacks = new Map<string, string>();
  let counter = 0;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const handle = (request: RecordedRequest): Reply => {
    if (request.headers.authorization !== expectedAuth) return twilioError(401, 20003, 'Authenticate');
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(request.url.pathname);
    if (!match || match[1] !== accountSid || request.method !== 'POST') return twilioError(404, 20404, 'not found');
    if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return twilioError(400, 21601, 'form expected');
    const form = formToRecord(request.raw);
    const to = typeof form.To === 'string' ? form.To : '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (unsubscribed.has(to)) return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    const isCall = match[2] === 'Calls';
    const sid = `${isCall ? 'CA' : 'SM'}${String(++counter).padStart(32, '0')}`;
    if (typeof form.StatusCallback === 'string') callbacks.set(sid, form.StatusCallback);
    if (isCall) calls.push(form);
    else messages.push(form as Record<string, string>);
    return { status: 201, json: { sid, account_sid: accountSid, to, status: 'queued' } };
  };

  const peer = await startHttpPeer(handle);
  return Object.assign(peer, {
    messages,
    calls,
    unsubscribed,
    async sendStatusCallback(sid: string, status: string, extra: Record<string, string> = {}) {
      const url = callbacks.get(sid);
      if (!url) throw new Error(`no StatusCallback recorded for ${sid}`);
      const params: Record<string, string> = sid.startsWith('CA')
        ? { CallSid: sid, CallStatus: status, AccountSid: accountSid, ...extra }
        : { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: accountSid, ...extra };
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams(params),
        headers: { 'x-twilio-signature': sign(authToken, url, params) },
      });
      await response.text();
      return response.status;
    },
  });
}
