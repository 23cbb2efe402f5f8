import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS } from '../src/decisioning/training/index.js';
import { startJob } from '../src/jobs/jobs.js';
import { type Harness, startHarness } from './support/harness.js';

/** Long work as the console sees it: retraining started from the API, one at a time, followed to its end. */
describe('jobs and retraining from the console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite');
  });
  afterAll(async () => h?.close());

  const jobs = async () => (await h.call('GET', '/v1/jobs')).body.items as Array<{ id: string; status: string; done: number; total: number; detail: Record<string, unknown>; actor: string }>;

  it('refuses a second training run while one is going', async () => {
    const running = await startJob(h.app.db, h.app.clock, { kind: 'training', label: 'retrain', actor: 'test', total: 2 });
    running.progress(1);
    const refused = await h.call('POST', '/v1/models/retrain', {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(running.id);
    await running.finish({});
  });

  it('runs every model kind in the background, one step each, and ends with each kind\'s result', async () => {
    const started = await h.call('POST', '/v1/models/retrain', {});
    expect(started.status).toBe(202);
    let job: Awaited<ReturnType<typeof jobs>>[number] | undefined;
    for (let i = 0; i < 100 && job?.status !== 'done'; i++) {
      job = (await jobs()).find((j) => j.id === started.body.jobId);
      if (job?.status !== 'done') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({ status: 'done', done: MODEL_KINDS.length, total: MODEL_KINDS.length, actor: expect.stringMatching(/^api_key:/) });
    // An empty database has nothing to learn from: each kind is refused, and says why.
    for (const kind of MODEL_KINDS) expect(job!.detail[kind]).toMatchObject({ refused: expect.stringMatching(/^too little data: /) });
  });

  it('shows jobs to analysts, starts them for operators only', async () => {
    const key = async (role: string) => (await h.call('POST', '/v1/api-keys', { name: `jobs-${role}`, role })).body.key as string;
    const analyst = await key('analyst');
    expect((await h.call('GET', '/v1/jobs', undefined, analyst)).status).toBe(200);
    expect((await h.call('POST', '/v1/models/retrain', {}, analyst)).status).toBe(403);
    expect((await h.call('GET', '/v1/jobs', undefined, await key('agent'))).status).toBe(403);
  });
});
