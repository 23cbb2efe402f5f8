import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { VirtualClock } from '../src/core/clock.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { policyWithoutControlGroup } from './support/policy.js';

type Message = { id: string; channel: string; status: string; decision: { policy: string; rule: string } };

/** The shipped policy with a few textual edits; each edit must apply, so a changed default fails loudly here. */
function edit(text: string, ...pairs: Array<[string | RegExp, string]>): string {
  let out = text;
  for (const [from, to] of pairs) {
    const next = out.replace(from, to);
    if (next === out) throw new Error(`policy edit did not apply: ${String(from)}`);
    out = next;
  }
  return out;
}

const M1_CHANNELS = 'channels: [app, wechat, sms, email, voice]';

describe.each(DATABASE_KINDS)('versioned collection policy (%s)', (kind) => {
  let h: Harness;
  let file: string;
  let v1: string;
  let v2: string;
  let operatorKey: string;

  const messages = async (): Promise<Message[]> => (await h.call('GET', '/v1/messages?direction=outbound&limit=1000')).body.items;
  const counts = async () => {
    const tables = ['contact_attempts', 'policy_versions', 'audit_log', 'cases', 'receivables'] as const;
    const out: Record<string, number> = {};
    for (const table of tables) out[table] = Number((await h.app.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return out;
  };

  beforeAll(async () => {
    file = policyWithoutControlGroup();
    v1 = readFileSync(file, 'utf8');
    v2 = edit(v1, ['version: 1', 'version: 2'], [M1_CHANNELS, 'channels: [email, sms, voice]']);
    h = await startHarness(kind, { policyFile: file });
    operatorKey = (await h.call('POST', '/v1/api-keys', { name: 'ops', role: 'operator' })).body.key;
    for (const [n, zone] of [['a', 'America/New_York'], ['b', 'America/Chicago'], ['c', 'America/New_York']] as const) {
      const customer = { externalId: `pv-${n}`, name: `Debtor ${n}`, locale: 'en', timezone: zone, identities: { phone: `+1212555010${n === 'a' ? 1 : n === 'b' ? 2 : 3}`, email: `${n}@example.com` }, consents: { sms: true, email: true, voice: true } };
      expect((await h.call('POST', '/v1/customers', customer)).status).toBe(201);
      // Due mid-February: on 1 March all three are in M1.
      const bill = { externalId: `pv-${n}-bill`, customerExternalId: `pv-${n}`, kind: 'bill', amount: '80.00', currency: 'USD', dueAt: '2026-02-12' };
      expect((await h.call('POST', '/v1/receivables', bill)).status).toBe(201);
    }
  });
  afterAll(async () => h?.close());

  it('serves the policy in force: the configured file, stored as a version at boot', async () => {
    const policy = await h.call('GET', '/v1/policy', undefined, operatorKey);
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ id: 'recoup-default', version: 1, ref: 'recoup-default@1', format: 'yaml', source: v1, sha256: createHash('sha256').update(v1).digest('hex') });
    expect(typeof policy.body.activatedAt).toBe('string');
    const versions = await h.call('GET', '/v1/policy/versions');
    expect(versions.body.items.map((v: { ref: string; active: boolean; createdBy: string }) => [v.ref, v.active, v.createdBy])).toEqual([['recoup-default@1', true, 'system']]);
  });

  it('refuses an invalid policy with each path and reason, and the old one keeps deciding', async () => {
    const invalid = edit(
      v1,
      ['version: 1', 'version: 2'],
      [M1_CHANNELS, 'channels: [app, wechat, sms, email, fax]'],
      ['start: "09:00"', 'start: "25:00"'],
      ['person: { day: 2, week: 6 }', 'person: { day: -2, week: 6 }'],
      ['sms: [m1-sms-zh, m1-sms-en]', 'sms: [m1-sms-nope, m1-sms-en]'],
    );
    const refused = await h.call('POST', '/v1/policy', { source: invalid });
    expect(refused.status).toBe(400);
    expect(refused.body.error.type).toBe('validation');
    expect(refused.body.error.message).toMatch(/running policy stays in force/);
    expect(refused.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'source.stages.m1.channels[4]', reason: expect.stringMatching(/unknown channel "fax"/) },
        { field: 'source.defaults.contactHours.start', reason: expect.stringMatching(/"25:00" is not a time of day/) },
        { field: 'source.defaults.caps.person.day', reason: expect.stringMatching(/whole number, 0 or more.*-2/) },
        { field: 'source.stages.m1.templates.sms[0]', reason: expect.stringMatching(/template "m1-sms-nope" does not exist/) },
      ]),
    );
    // Only an admin may change what is in force, even with a valid text.
    expect((await h.call('POST', '/v1/policy', { source: v2 }, operatorKey)).status).toBe(403);
    expect((await h.call('GET', '/v1/policy')).body.version).toBe(1);
    expect((await h.call('GET', '/v1/policy/versions')).body.items).toHaveLength(1);

    await h.advance(60);
    const planned = await messages();
    expect(planned.length).toBeGreaterThan(0);
    expect(new Set(planned.map((m) => m.decision.policy))).toEqual(new Set(['recoup-default@1']));
  });

  it('dry-runs a candidate over open cases and reports changed decisions, writing nothing', async () => {
    const before = await counts();
    const report = await h.call('POST', '/v1/policy/dry-run', { source: v2 }, operatorKey);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ sampledCases: 3, current: { policy: 'recoup-default@1' }, candidate: { policy: 'recoup-default@2' } });
    // v1 considers app and wechat for every M1 debtor; the candidate drops both.
    expect(report.body.current.byChannel).toMatchObject({ app: 3, wechat: 3, sms: 3, email: 3, voice: 3 });
    expect(report.body.candidate.byChannel).toEqual({ sms: 3, email: 3, voice: 3 });
    expect(report.body.changed).toBeGreaterThanOrEqual(6);
    expect(report.body.examples.some((e: { channel: string; candidate: unknown }) => e.channel === 'app' && e.candidate === null)).toBe(true);
    for (const tally of [report.body.current, report.body.candidate]) {
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      expect(sum(tally.byOutcome)).toBe(tally.decisions);
      expect(sum(tally.byRule)).toBe(tally.decisions);
    }
    const same = await h.call('POST', '/v1/policy/dry-run', { source: v1 });
    expect(same.body).toMatchObject({ changed: 0, unchanged: 15 });
    const broken = await h.call('POST', '/v1/policy/dry-run', { source: edit(v2, [M1_CHANNELS.replace('[app, wechat, sms, email, voice]', '[email, sms, voice]'), 'channels: [email, pager]']) });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details).toEqual([{ field: 'source.stages.m1.channels[1]', reason: expect.stringMatching(/unknown channel "pager"/) }]);
    expect(await counts()).toEqual(before);
    expect((await h.call('GET', '/v1/policy')).body.version).toBe(1);
  });

  it('activates a valid version: in force, listed, diffable, and the next planning uses it', async () => {
    const activatedAt = h.app.clock.now().toISOString();
    const activated = await h.call('POST', '/v1/policy', { source: v2 });
    expect(activated.status).toBe(201);
    expect(activated.body).toMatchObject({ changed: true, policy: { ref: 'recoup-default@2', source: v2 } });
    expect((await h.call('GET', '/v1/policy')).body).toMatchObject({ version: 2, activatedAt });
    const versions = (await h.call('GET', '/v1/policy/versions', undefined, operatorKey)).body.items as Array<{ ref: string; active: boolean; createdBy: string }>;
    expect(versions.map((v) => [v.ref, v.active])).toEqual([['recoup-default@2', true], ['recoup-default@1', false]]);
    expect(versions[0]!.createdBy).toMatch(/^api_key:/);
    const audit = await h.app.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'policy.activated').orderBy('seq').execute();
    expect(audit.map((a) => a.subject)).toEqual(['recoup-default@1', 'recoup-default@2']);

    const diff = await h.call('GET', '/v1/policy/diff?from=1&to=recoup-default@2');
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: { ref: 'recoup-default@1' }, to: { ref: 'recoup-default@2' }, added: 2, removed: 2 });
    expect(diff.body.unified).toContain(`-version: 1\n+version: 2\n`);
    expect(diff.body.unified).toContain(`-    ${M1_CHANNELS}\n+    channels: [email, sms, voice]\n`);
    expect((await h.call('GET', '/v1/policy/diff?from=recoup-default@9')).status).toBe(404);

    const earlier = new Set((await messages()).map((m) => m.id));
    await h.advance(3 * 24 * 60);
    const later = (await messages()).filter((m) => !earlier.has(m.id));
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(later.map((m) => m.decision.policy))).toEqual(new Set(['recoup-default@2']));
    expect(later.some((m) => m.channel === 'email')).toBe(true);
    expect(later.every((m) => ['email', 'sms', 'voice'].includes(m.channel))).toBe(true);
  });

  it('reloads from the file: a changed file comes into force, a broken one leaves the running policy', async () => {
    const v3 = edit(v2, ['version: 2', 'version: 3'], ['channels: [email, sms, voice]', 'channels: [sms, email]']);
    writeFileSync(file, v3);
    const reloaded = await h.app.policies.reloadFromFile();
    expect(reloaded.ok).toBe(true);
    expect((await h.call('GET', '/v1/policy')).body).toMatchObject({ version: 3, source: v3 });
    expect(h.app.policy.ref).toBe('recoup-default@3');

    writeFileSync(file, edit(v3, ['version: 3', 'version: 4'], ['channels: [sms, email]', 'channels: [sms, carrier-pigeon]']));
    const refused = await h.app.policies.reloadFromFile();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain(`${file}:`);
    expect((await h.call('GET', '/v1/policy')).body.version).toBe(3);
    expect((await h.call('GET', '/v1/policy/versions')).body.items).toHaveLength(3);
  });

  // Processes on one PostgreSQL: each boots with the version in force, and adopts later ones before planning.
  it.runIf(kind === 'postgres')('a second process boots with the version in force and adopts a later activation before it plans', async () => {
    const clock = new VirtualClock(h.app.clock.now());
    const other = await createApp({ ...h.app.config, policyFile: policyWithoutControlGroup() }, { logger: pino({ level: 'silent' }), clock });
    try {
      // Its file says version 1, but the database says 3 is in force.
      expect(other.policy.ref).toBe('recoup-default@3');
      const v5 = edit(v2, ['version: 2', 'version: 5']);
      expect((await h.call('POST', '/v1/policy', { source: v5 })).status).toBe(201);
      expect(other.policy.ref).toBe('recoup-default@3');
      await other.work.advanceTo(clock, new Date(clock.now().getTime() + 60 * 60_000));
      expect(other.policy.ref).toBe('recoup-default@5');
    } finally {
      await other.close();
    }
  });
});
