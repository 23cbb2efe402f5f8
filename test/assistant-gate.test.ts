import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { DATABASE_KINDS } from './support/databases.js';
import { type Harness, startHarness } from './support/harness.js';
import { assistantPolicy, createBill, createDebtor, kinds, say } from './support/assistant.js';

/**
 * The assistant's own words pass the same compliance gate as every reminder: a deployment's extra
 * rule file that forbids a phrase the balance answer uses makes the bot hand the conversation to a
 * person instead of saying it, with the rule on the record.
 */
describe.each(DATABASE_KINDS)('the compliance gate on assistant replies (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    const rules = join(tempDir('recoup-gate-'), 'house-rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        description: 'a house rule for the test: never say "Total outstanding"',
        sets: {},
        rules: [{ id: 'house.no_total_outstanding', family: 'insult', negatable: false, terms: ['total outstanding'] }],
        safe: [],
      }),
    );
    h = await startHarness(kind, { policyFile: assistantPolicy(), compliance: { ruleFiles: [rules] } });
  });
  afterAll(async () => h?.close());

  it('withholds a blocked reply and hands off; an allowed one goes out as written', async () => {
    const d = await createDebtor(h, 'gate-debtor', { identities: { phone: '+14155550191' } });
    await createBill(h, d.externalId, 'gate-bill', '42.00', 'USD', '2026-02-20');

    const hello = await say(h, 'sms', { phone: '+14155550191' }, 'hello');
    expect(hello.replies.length).toBeGreaterThan(0);
    expect(kinds(hello)).not.toContain('handoff');

    const balance = await say(h, 'sms', { phone: '+14155550191' }, 'what is my balance?');
    expect(kinds(balance)).toEqual(['handoff']);
    expect(JSON.stringify(balance.replies)).not.toMatch(/total outstanding/i);
    const queued = await h.call('GET', '/v1/agent/queue');
    expect(queued.body.items.find((i: { customerId: string }) => i.customerId === d.id)).toMatchObject({ state: 'queued', handoffReason: 'reply_blocked' });
  });
});
