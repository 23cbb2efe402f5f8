import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysPastDue, stageFor } from '../src/receivables/stages.js';
import { DATABASE_KINDS } from './support/databases.js';
import { CLOCK_START, type Harness, startHarness } from './support/harness.js';

// Offsets of the due instant from "now", in minutes: both sides of every stage boundary.
const DAY = 24 * 60;
const OFFSETS = [-7 * DAY, -7 * DAY + 1, -1, 0, 1, DAY - 1, DAY, 30 * DAY - 1, 30 * DAY, 60 * DAY - 1, 60 * DAY, 179 * DAY - 1, 179 * DAY, 400 * DAY];

describe.each(DATABASE_KINDS)('case stages in SQL agree with stages.ts on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => h?.close());

  it('computes the same days past due and stage on both sides of every boundary', async () => {
    const now = new Date(CLOCK_START);
    const items = OFFSETS.flatMap((offset, i) => [
      { type: 'customer', data: { externalId: `s${i}`, timezone: 'UTC' } },
      { type: 'receivable', data: { externalId: `s${i}-r`, customerExternalId: `s${i}`, kind: 'bill', amount: '10', currency: 'USD', dueAt: new Date(now.getTime() - offset * 60_000).toISOString() } },
    ]);
    const batch = await h.call('POST', '/v1/events:batch', { items });
    expect(batch.body.counts.rejected).toBe(0);

    for (const [i, offset] of OFFSETS.entries()) {
      const customer = batch.body.results[i * 2].id;
      const cases = await h.call('GET', `/v1/cases?customerId=${customer}`);
      const dpd = daysPastDue(new Date(now.getTime() - offset * 60_000), now);
      if (dpd < -7) {
        expect(cases.body.items, `offset ${offset}`).toEqual([]);
        continue;
      }
      expect(cases.body.items[0], `offset ${offset}`).toMatchObject({ daysPastDue: dpd, stage: stageFor(dpd, false, h.app.config.stages) });
    }
  });
});
