import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../app.js';
import { conflict } from '../../core/errors.js';
import type { Role } from '../../db/schema.js';
import { MODEL_KINDS } from '../../decisioning/training/index.js';
import { listJobs, runningJob, startJob } from '../../jobs/jobs.js';
import { actorOf } from '../auth.js';
import { sendDomainError } from '../errors.js';

const WATCHERS: readonly Role[] = ['admin', 'operator', 'analyst', 'auditor'];
const STARTERS: readonly Role[] = ['admin', 'operator'];

/** Long work: the list the console shows with progress, and retraining started from the console. */
export function jobRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    let training: Promise<void> | undefined;
    // A training run in flight finishes (or fails) before the database closes under it.
    server.addHook('preClose', async () => {
      await training?.catch(() => undefined);
    });

    server.get('/v1/jobs', { schema: { tags: ['jobs'], summary: 'Long work (imports, model training), newest first, with progress' }, config: { roles: WATCHERS } }, async () => ({
      items: await listJobs(app.db),
    }));

    server.post(
      '/v1/models/retrain',
      { schema: { tags: ['models'], summary: 'Refit every model kind now, in the background; follow it in GET /v1/jobs' }, config: { roles: STARTERS } },
      async (request, reply) => {
        const now = app.clock.now();
        const busy = await runningJob(app.db, 'training', now);
        if (busy) return sendDomainError(reply, conflict(`a training run is already going (job ${busy})`, [{ field: '(request)', reason: 'wait for the running job to end' }]));
        const actor = actorOf(request);
        const job = await startJob(app.db, app.clock, { kind: 'training', label: `retrain ${MODEL_KINDS.join(', ')}`, actor, total: MODEL_KINDS.length });
        training = app.retrain(actor, job).catch((error: Error) => app.logger.warn({ err: error, jobId: job.id }, 'retraining failed'));
        return reply.status(202).send({ jobId: job.id });
      },
    );
  };
}
