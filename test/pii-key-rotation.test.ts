import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vaultFor } from '../src/app.js';
import { reencryptIdentities } from '../src/compliance/key-rotation.js';
import { createPiiVault, generateSecret } from '../src/compliance/pii-vault.js';
import { loadConfig } from '../src/config.js';
import { resolveSender } from '../src/conversation/inbound.js';
import { upsertCustomers } from '../src/customers/upsert-customers.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';

const OLD_KEY = generateSecret();
const NEW_KEY = generateSecret();
const PEOPLE = Array.from({ length: 5 }, (_, i) => ({
  externalId: `rot-${i}`,
  identities: { phone: `+1212555030${i}`, email: `rot${i}@example.com`, idNumber: `ROT-00${i}` },
}));

describe.each(DATABASE_KINDS)('re-encrypting identities after a key rotation (%s)', (kind) => {
  let h: Harness;
  const ids: string[] = [];
  beforeAll(async () => {
    h = await startHarness(kind, { secretKey: OLD_KEY });
    for (const person of PEOPLE) ids.push((await h.call('POST', '/v1/customers', person)).body.id);
  });
  afterAll(async () => h?.close());

  const keyIds = async () => new Set((await h.app.db.selectFrom('customer_identities').select('ciphertext').execute()).map((r) => r.ciphertext.split(':')[1]));

  it('rewrites every identity under the new key in pages, keeps lookups, and lets the old key go', async () => {
    // What the app builds from RECOUP_SECRET_KEY=new and RECOUP_PREVIOUS_SECRET_KEYS=old.
    const config = loadConfig({ secretKey: NEW_KEY }, { RECOUP_PREVIOUS_SECRET_KEYS: OLD_KEY });
    expect(config.previousSecretKeys).toEqual([OLD_KEY]);
    const rotated = vaultFor(config, NEW_KEY);
    const before = await keyIds();
    expect(before.size).toBe(1);

    const report = await reencryptIdentities(h.app.db, rotated, { batchSize: 4, now: h.app.clock.now() });
    expect(report.rewritten).toBe(PEOPLE.length * 3);
    const after = await keyIds();
    expect(after).toEqual(new Set([report.keyId]));
    expect([...before][0]).not.toBe(report.keyId);

    // The new key alone now reads everything; the old key alone reads nothing.
    const newOnly = createPiiVault({ current: NEW_KEY, hashSecret: OLD_KEY });
    const oldOnly = createPiiVault({ current: OLD_KEY });
    const rows = await h.app.db.selectFrom('customer_identities').innerJoin('customers', 'customers.id', 'customer_identities.customer_id').select(['external_id', 'kind', 'ciphertext']).execute();
    for (const row of rows.filter((r) => r.kind === 'phone')) {
      const person = PEOPLE.find((p) => p.externalId === row.external_id)!;
      expect(newOnly.decrypt(row.ciphertext)).toBe(person.identities.phone);
      expect(() => oldOnly.decrypt(row.ciphertext)).toThrow(/unknown key/);
    }
    // Lookups were not orphaned: an inbound phone still finds its customer, and a re-sent person is the same one.
    expect(await resolveSender(h.app.db, rotated, { phone: PEOPLE[3]!.identities.phone })).toEqual({ ok: true, value: ids[3] });
    const resent = await h.app.db.transaction().execute((trx) =>
      upsertCustomers(trx, { vault: rotated, now: h.app.clock.now(), source: 'api' }, [{ index: 0, data: { externalId: 'someone-else', identities: { email: PEOPLE[1]!.identities.email } } }]),
    );
    expect(resent.get(0)).toMatchObject({ status: 'rejected', error: { details: [{ field: 'identities.email', reason: 'belongs to another customer' }] } });

    // Run again: nothing left to do. The run is audited without any value.
    expect((await reencryptIdentities(h.app.db, rotated, { now: h.app.clock.now() })).rewritten).toBe(0);
    const audit = (await h.call('GET', '/v1/audit?action=pii.reencrypted')).body.items;
    expect(audit.map((e: { details: unknown }) => e.details)).toEqual([{ keyId: report.keyId, rewritten: 15 }, { keyId: report.keyId, rewritten: 0 }]);
  });

  it('stops before writing when a ciphertext names a key it was not given', async () => {
    const stranger = vaultFor(loadConfig({}, {}), generateSecret());
    await expect(reencryptIdentities(h.app.db, stranger, { now: h.app.clock.now() })).rejects.toThrow(/cannot decrypt: unknown key/);
  });
});
