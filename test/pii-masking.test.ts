import { Writable } from 'node:stream';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app.js';
import type { Role } from '../src/db/schema.js';
import { DATABASE_KINDS } from './support/databases.js';
import { ADMIN_KEY, type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';
import { recordingProvider } from './support/recording-provider.js';

interface Person {
  externalId: string;
  locale: 'en' | 'zh-CN';
  timezone: string;
  identities: { phone: string; email: string; idNumber: string; wechatOpenId: string; appUserId?: string };
}

const PEOPLE: Person[] = [
  {
    externalId: 'pii-jane',
    locale: 'en',
    timezone: 'America/New_York',
    identities: { phone: '+1 (212) 555-0142', email: 'Jane.Roe@Example.com', idNumber: '123-45-6789', wechatOpenId: 'oJr7Q2xYk9LmN3pT5vW8zA1bC4dE' },
  },
  {
    externalId: 'pii-fang',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    identities: { phone: '+86 139 0013 9001', email: 'wang.fang@example.cn', idNumber: '11010519491231002X', wechatOpenId: 'oWx9_fangWANG_8817263544' },
  },
  {
    externalId: 'pii-oli',
    locale: 'en',
    timezone: 'Europe/London',
    identities: { phone: '+44 20 7946 0321', email: 'oli.batch@example.co.uk', idNumber: 'QQ123456C', wechatOpenId: 'oLi_batch_0042_ZZ9911', appUserId: 'app-oli-903311' },
  },
];

/** Every spelling a value could leak in: as typed, normalised, digits only, the national number. */
function spellings(person: Person): string[] {
  const { phone, email, idNumber, wechatOpenId, appUserId } = person.identities;
  const parsed = parsePhoneNumberFromString(phone)!;
  return [phone, parsed.number, parsed.number.slice(1), String(parsed.nationalNumber), email.toLowerCase(), idNumber, idNumber.replace(/-/g, ''), wechatOpenId, ...(appUserId ? [appUserId] : [])];
}

const SECRETS = PEOPLE.flatMap((p) => spellings(p).map((value) => ({ person: p.externalId, value })));

function leaksIn(text: string): string[] {
  const lower = text.toLowerCase();
  return SECRETS.filter((s) => lower.includes(s.value.toLowerCase())).map((s) => `${s.person}: ${s.value}`);
}

const ROLES: Role[] = ['admin', 'operator', 'agent', 'analyst', 'auditor'];

/**
 * Public routes that are nobody's staff view: one answers only a provider's signature, the other a
 * signed link that shows a debtor their own plan. Scanned all the same, but not expected to answer here.
 */
const NOT_STAFF_VIEWS = new Set(['/v1/webhooks/wechat', '/v1/repayment-plan.pdf']);

/** Routes that stream (server-sent events) and never end: their first event is what is read and scanned. */
const STREAMS = new Set(['/v1/agent/events']);

/** Required query parameters the enumeration cannot guess, by route and name. */
const REQUIRED_SAMPLES: Record<string, Record<string, string>> = {
  '/v1/policy/diff': { from: '1' },
};

interface GetRoute {
  path: string;
  query: Array<{ name: string; required: boolean }>;
}

describe.each(DATABASE_KINDS)('no unmasked PII in API responses or logs (%s)', (kind) => {
  let h: Harness;
  let logged = '';
  const keys: Partial<Record<Role, string>> = {};
  const ids: Record<string, string> = {};
  const [jane, fang, oli] = PEOPLE as [Person, Person, Person];
  // Gateways quote the recipient back in their errors, as Twilio and SMTP servers do.
  const provider = recordingProvider('sandbox', (message) => {
    if (message.customerId === ids[jane.externalId] && message.channel === 'sms') {
      return { ok: false, kind: 'invalid_recipient', reason: `The 'To' number ${message.to.phone} is not a valid phone number.` };
    }
    if (message.customerId === ids[fang.externalId] && message.channel === 'email') {
      return { ok: false, kind: 'invalid_recipient', reason: `550 5.1.1 <${message.to.email}>: user unknown` };
    }
    return { ok: true, providerMessageId: `sb-${message.attemptId}` };
  });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    h = await startHarness(kind, { policyFile: policyWithoutControlGroup() }, { logger: createLogger({ logLevel: 'trace' }, sink), providerFor: () => provider });
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      keys[role] = (await h.call('POST', '/v1/api-keys', { name: `pii-${role}`, role })).body.key;
    }
    const consents = { sms: true, email: true, wechat: true, app: true, push: true, voice: true };
    // One channel each for the first two (and no app account), so that their reminders meet the failing gateways above.
    const only = { [jane.externalId]: { sms: true }, [fang.externalId]: { email: true } };
    for (const person of [jane, fang]) {
      const created = await h.call('POST', '/v1/customers', { ...person, name: `Name of ${person.externalId}`, consents: only[person.externalId] });
      expect(created.status).toBe(201);
      ids[person.externalId] = created.body.id;
    }
    const batch = await h.call('POST', '/v1/events:batch', {
      items: [
        { type: 'customer', data: { ...oli, consents } },
        { type: 'event', data: { customerExternalId: oli.externalId, kind: 'app.opened', channel: 'app', occurredAt: '2026-03-01T00:00:00Z' } },
      ],
    });
    expect(batch.body.counts, JSON.stringify(batch.body)).toMatchObject({ created: 2, rejected: 0 });
    ids[oli.externalId] = batch.body.results[0].id;
    for (const person of PEOPLE) {
      const receivable = { externalId: `${person.externalId}-bill`, customerExternalId: person.externalId, kind: 'bill', amount: '88.00', currency: 'USD', dueAt: '2026-03-04' };
      expect((await h.call('POST', '/v1/receivables', receivable)).status).toBe(201);
    }
    // Reminders go out, some fail with the recipient quoted, a debtor writes back and stops SMS.
    for (let day = 0; day < 5; day += 1) await h.advance(24 * 60);
    // Debtors quote their own details back; staff views must not.
    const reply = await h.call('POST', '/v1/inbound', { channel: 'sms', from: { phone: fang.identities.phone }, text: `I will pay on 2026-03-13; call me on ${fang.identities.phone} or write to ${fang.identities.email}` });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    await h.call('POST', '/v1/inbound', { channel: 'wechat', from: { wechatOpenId: oli.identities.wechatOpenId }, text: 'TD' });
    await h.call('POST', '/v1/disputes', { customerExternalId: jane.externalId, reason: 'the amount is wrong' });
    await h.advance(60);
    expect(provider.received.length).toBeGreaterThan(0);
    // Days of virtual time with planning and delivery: slow when the machine is shared.
  }, 300_000);
  afterAll(async () => h?.close());

  async function getRoutes(): Promise<GetRoute[]> {
    const spec = (await h.server.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { get?: { parameters?: Array<{ in: string; name: string; required?: boolean }> } }>;
    };
    return Object.entries(spec.paths)
      .filter(([path, item]) => item.get && path.startsWith('/v1/'))
      .map(([path, item]) => ({ path, query: (item.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: p.required === true })) }));
  }

  /** Each route once per customer for its path id, with and without a customerId filter where it takes one. */
  function urlsFor(route: GetRoute): string[] {
    const base = new URLSearchParams();
    for (const param of route.query.filter((p) => p.required)) {
      const sample = REQUIRED_SAMPLES[route.path]?.[param.name];
      if (sample === undefined && NOT_STAFF_VIEWS.has(route.path)) continue;
      if (sample === undefined) throw new Error(`${route.path} requires ?${param.name}: add a sample value to REQUIRED_SAMPLES`);
      base.set(param.name, sample);
    }
    const paths = route.path.includes('{') ? Object.values(ids).map((id) => route.path.replace(/\{[^}]+\}/g, id)) : [route.path];
    const urls: string[] = [];
    for (const path of paths) {
      urls.push(base.size > 0 ? `${path}?${base}` : path);
      if (route.query.some((p) => p.name === 'customerId')) {
        for (const id of Object.values(ids)) urls.push(`${path}?${new URLSearchParams({ ...Object.fromEntries(base), customerId: id })}`);
      }
    }
    return urls;
  }

  /** A streaming route's status and first chunk; the stream is then dropped. */
  async function firstChunk(url: string, headers: Record<string, string>): Promise<{ statusCode: number; body: string }> {
    const response = await h.server.inject({ method: 'GET', url, headers, payloadAsStream: true });
    const stream = response.stream();
    const chunk = await new Promise<string>((resolve) => {
      stream.once('data', (data: Buffer) => resolve(data.toString('utf8')));
      stream.once('end', () => resolve(''));
    });
    stream.destroy();
    return { statusCode: response.statusCode, body: chunk };
  }

  it('shows every identity masked on every GET route, to every role', async () => {
    const routes = await getRoutes();
    // The enumeration is only worth something if it finds the routes that hold customer data.
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/v1/customers/{id}', '/v1/messages', '/v1/receivables', '/v1/audit', '/v1/customers/{id}/identities']));
    const leaks: string[] = [];
    const answeredForAdmin = new Set<string>();
    for (const route of routes) {
      for (const url of urlsFor(route)) {
        for (const role of ROLES) {
          const headers = { authorization: `Bearer ${role === 'admin' ? ADMIN_KEY : keys[role]}` };
          const response = STREAMS.has(route.path) ? await firstChunk(url, headers) : await h.server.inject({ method: 'GET', url, headers });
          if (role === 'admin' && response.statusCode < 300) answeredForAdmin.add(route.path);
          for (const leak of leaksIn(response.body)) leaks.push(`${role} GET ${url} (${response.statusCode}) shows ${leak}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    // A route that only ever answered with an error proves nothing about its data.
    expect(routes.map((r) => r.path).filter((p) => !answeredForAdmin.has(p) && !NOT_STAFF_VIEWS.has(p))).toEqual([]);
    // The gateway error quoting the phone was stored, and is shown masked.
    const failures = await h.call('GET', `/v1/messages?status=failed`, undefined, keys.analyst);
    expect(failures.body.items.map((m: { lastError: string }) => m.lastError)).toContain("invalid_recipient: The 'To' number ****0142 is not a valid phone number.");
    const single = await h.call('GET', `/v1/customers/${ids[fang.externalId]}`);
    expect(single.body.identities).toMatchObject({ phone: '****9001', email: 'w***@example.cn', idNumber: '****002X' });
    expect(single.body.timeline.map((e: { summary: { text?: string } }) => e.summary.text)).toContain('I will pay on 2026-03-13; call me on ****9001 or write to w***@example.cn');
  });

  it('reveals identities in clear to an admin only, and audits who read whose, never the values', async () => {
    const id = ids[fang.externalId]!;
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const refused = await h.call('GET', `/v1/customers/${id}/identities?reveal=true`, undefined, keys[role]);
      expect(refused.status, role).toBe(403);
      expect(refused.body.error.details).toEqual([{ field: 'query.reveal', reason: 'requires the admin role' }]);
    }
    const revealed = await h.call('GET', `/v1/customers/${id}/identities?reveal=true`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({
      customerId: id,
      revealed: true,
      identities: { email: 'wang.fang@example.cn', idNumber: '11010519491231002X', phone: '+8613900139001', wechatOpenId: 'oWx9_fangWANG_8817263544' },
    });
    // The scanner sees what it is looking for: this body is the one place the values may appear.
    expect(leaksIn(JSON.stringify(revealed.body)).length).toBeGreaterThan(3);

    const audit = await h.call('GET', `/v1/audit?action=pii.revealed&subject=${id}`, undefined, keys.auditor);
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(1);
    const admin = await h.app.db.selectFrom('api_keys').select('id').where('name', '=', 'bootstrap admin').executeTakeFirstOrThrow();
    expect(audit.body.items[0]).toMatchObject({ actor: `api_key:${admin.id}`, action: 'pii.revealed', subject: id, details: { kinds: ['email', 'idNumber', 'phone', 'wechatOpenId'] } });
    expect(leaksIn(JSON.stringify(audit.body))).toEqual([]);

    const masked = await h.call('GET', `/v1/customers/${id}/identities`, undefined, keys.agent);
    expect(masked.body).toMatchObject({ revealed: false, identities: { phone: '****9001' } });
    expect((await h.call('GET', `/v1/audit?action=pii.revealed`)).body.items).toHaveLength(1);
    expect((await h.call('GET', `/v1/customers/00000000-0000-4000-8000-000000000000/identities?reveal=true`)).status).toBe(404);
  });

  it('writes no unmasked identity to the logs, at trace level, reveals included', () => {
    // The buffer must hold real request logs, or an empty one would pass.
    expect(logged).toContain('"msg":"incoming request"');
    expect(logged).toContain('/identities?reveal=true');
    expect(leaksIn(logged)).toEqual([]);
  });
});
