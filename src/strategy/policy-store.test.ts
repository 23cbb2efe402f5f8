import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { openPolicyStore, type PolicyStore, type PolicyStoreDeps } from './policy-store.js';

const dir = mkdtempSync(join(tmpdir(), 'recoup-policy-store-'));
const templatesFile = join(dir, 'templates.json');
writeFileSync(templatesFile, JSON.stringify(['t-sms', 't-email']));

function policyText(version: number, channels = '[sms]'): string {
  return `id: unit\nversion: ${version}\nstages:\n  m1:\n    channels: ${channels}\n    templates: { sms: [t-sms], email: [t-email] }\n`;
}

const V1 = policyText(1);
const V2 = policyText(2, '[email, sms]');

interface Logged {
  level: string;
  details: Record<string, unknown>;
  message: string;
}

function memoryLogger(into: Logged[]): PolicyStoreDeps['logger'] {
  const at = (level: string) => (details: unknown, message?: string) => void into.push({ level, details: details as Record<string, unknown>, message: message ?? '' });
  return { info: at('info'), warn: at('warn'), error: at('error') } as PolicyStoreDeps['logger'];
}

describe('policy store', () => {
  let handle: DatabaseHandle;
  let store: PolicyStore;
  const logged: Logged[] = [];
  const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));
  const policyFile = join(dir, 'policy.yaml');
  const deps = (extra: Partial<PolicyStoreDeps> = {}): PolicyStoreDeps => ({ db: handle.db, clock, logger: memoryLogger(logged), policyFile, templatesFile, ...extra });
  const rows = async () => handle.db.selectFrom('policy_versions').selectAll().orderBy('created_at').execute();
  const audits = async () => handle.db.selectFrom('audit_log').select(['action', 'actor', 'subject']).where('action', '=', 'policy.activated').orderBy('seq').execute();

  beforeAll(async () => {
    writeFileSync(policyFile, V1);
    handle = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(handle.db as never);
    store = await openPolicyStore(deps());
  });
  afterAll(async () => handle?.close());

  it('at first boot compiles the file, stores it and activates it, with an audit entry', async () => {
    expect(store.current().ref).toBe('unit@1');
    expect(store.active()).toMatchObject({ id: 'unit', version: 1, source: V1, format: 'yaml' });
    expect((await rows()).map((r) => [r.version, r.created_by, r.activation_seq])).toEqual([[1, 'system', 1n]]);
    expect(await audits()).toEqual([{ action: 'policy.activated', actor: 'system', subject: 'unit@1' }]);
  });

  it('refuses an invalid policy with each path and reason, stores nothing and keeps the running one', async () => {
    const broken = `id: unit\nversion: 9\nstages:\n  m1:\n    channels: [sms, fax]\n    templates: { sms: [t-nope] }\n    contactHours: { start: "25:00", end: "20:00" }\n    caps: { person: { day: -1 } }\n`;
    const result = await store.activate(broken, { actor: 'api_key:x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe('validation');
    expect(result.error.details).toEqual(
      expect.arrayContaining([
        { field: 'stages.m1.channels[1]', reason: expect.stringMatching(/unknown channel "fax"/) },
        { field: 'stages.m1.templates.sms[0]', reason: expect.stringMatching(/template "t-nope" does not exist/) },
        { field: 'stages.m1.contactHours.start', reason: expect.stringMatching(/not a time of day/) },
        { field: 'stages.m1.caps.person.day', reason: expect.stringMatching(/whole number, 0 or more/) },
      ]),
    );
    expect(result.error.message).toMatch(/^policy source refused .* the running policy stays in force/s);
    expect(store.current().ref).toBe('unit@1');
    expect(await rows()).toHaveLength(1);
  });

  it('activates a valid version, and treats the text already in force as a no-op', async () => {
    clock.set(new Date('2026-03-02T00:00:00Z'));
    const result = await store.activate(V2, { actor: 'api_key:admin' });
    expect(result).toMatchObject({ ok: true, value: { changed: true, policy: { ref: 'unit@2' } } });
    expect(store.current().ref).toBe('unit@2');
    expect(store.current().document.stages.m1!.channels).toEqual(['email', 'sms']);
    const again = await store.activate(V2, { actor: 'api_key:admin' });
    expect(again).toMatchObject({ ok: true, value: { changed: false } });
    expect(await rows()).toHaveLength(2);
    expect((await audits()).map((a) => a.subject)).toEqual(['unit@1', 'unit@2']);
  });

  it('refuses other content under a stored id@version, naming the next free version', async () => {
    const result = await store.activate(policyText(1, '[email]'), { actor: 'api_key:admin' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe('conflict');
    expect(result.error.details).toEqual([{ field: 'version', reason: expect.stringMatching(/unit@1 already exists .*use version 3/) }]);
    expect(store.current().ref).toBe('unit@2');
  });

  it('rolls back by activating a stored text again, without a second copy', async () => {
    const result = await store.activate(V1, { actor: 'api_key:admin' });
    expect(result).toMatchObject({ ok: true, value: { changed: true } });
    expect(store.current().ref).toBe('unit@1');
    const all = await rows();
    expect(all).toHaveLength(2);
    expect(all.find((r) => r.version === 1)!.activation_seq).toBe(3n);
  });

  it('lists versions and diffs two of them', async () => {
    const versions = await store.versions();
    expect(versions.map((v) => [v.ref, v.active])).toEqual([['unit@2', false], ['unit@1', true]]);
    const diff = await store.diff('1', 'unit@2');
    expect(diff.ok).toBe(true);
    if (!diff.ok) return;
    expect(diff.value).toMatchObject({ from: { ref: 'unit@1' }, to: { ref: 'unit@2' }, added: 2, removed: 2 });
    expect(diff.value.unified).toContain('-version: 1\n+version: 2\n');
    expect(diff.value.unified).toContain('-    channels: [sms]\n+    channels: [email, sms]\n');
    expect(await store.diff('unit@7')).toMatchObject({ ok: false, error: { type: 'not_found', details: [{ field: 'from' }] } });
  });

  it('a second process adopts the newest activation, at boot and on refresh', async () => {
    // At boot the database wins over the file, and the difference is pointed out.
    writeFileSync(policyFile, V2);
    const other = await openPolicyStore(deps());
    expect(other.current().ref).toBe('unit@1');
    expect(logged.some((l) => l.level === 'warn' && /differs from the version in force/.test(l.message))).toBe(true);
    await store.activate(policyText(3), { actor: 'api_key:admin' });
    expect(other.current().ref).toBe('unit@1');
    await other.refresh();
    expect(other.current().ref).toBe('unit@3');
  });

  it('keeps its policy when a version activated elsewhere does not compile here, and says so once', async () => {
    const narrowTemplates = join(dir, 'narrow.json');
    writeFileSync(narrowTemplates, JSON.stringify(['t-sms', 't-email', 't-app']));
    const wide = await openPolicyStore(deps({ templatesFile: narrowTemplates }));
    const withApp = `id: unit\nversion: 4\nstages:\n  m1:\n    channels: [app]\n    templates: { app: [t-app] }\n`;
    expect((await wide.activate(withApp, { actor: 'api_key:admin' })).ok).toBe(true);
    const before = logged.length;
    await store.refresh();
    await store.refresh();
    expect(store.current().ref).toBe('unit@3');
    expect(logged.slice(before).filter((l) => l.level === 'error')).toHaveLength(1);
    await store.activate(policyText(5), { actor: 'api_key:admin' });
    await wide.refresh();
    expect(wide.current().ref).toBe('unit@5');
  });

  it('reloads the file: a changed file becomes a version, a broken one is logged and the old one kept', async () => {
    writeFileSync(policyFile, policyText(6, '[email]'));
    expect(await store.reloadFromFile()).toMatchObject({ ok: true, value: { changed: true, policy: { ref: 'unit@6' } } });
    expect(store.current().ref).toBe('unit@6');
    writeFileSync(policyFile, policyText(7, '[fax]'));
    const before = logged.length;
    const refused = await store.reloadFromFile();
    expect(refused.ok).toBe(false);
    expect(store.current().ref).toBe('unit@6');
    const error = logged.slice(before).find((l) => l.level === 'error')!;
    expect(error.message).toMatch(/running policy stays in force/);
    expect(String(error.details.reason)).toContain(`${policyFile}:5 stages.m1.channels[0]: unknown channel "fax"`);
  });
});
