import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { conflict } from '../../core/errors.js';
import type { Role } from '../../db/schema.js';
import { trainingJobInput } from '../../decisioning/training/index.js';
import { listJobs, startJobUnlessRunning } from '../../jobs/jobs.js';
import { backtestLabel, backtestSteps, type RunningBacktest, startBacktest } from '../../simulation/backtest-job.js';
import { actorOf } from '../auth.js';
import { sendDomainError } from '../errors.js';

const WATCHERS: readonly Role[] = ['admin', 'operator', 'analyst', 'auditor'];
const STARTERS: readonly Role[] = ['admin', 'operator'];
// A backtest touches no real debtor: it runs on a synthetic population, so analysts may start one.
const BACKTESTERS: readonly Role[] = ['admin', 'operator', 'analyst'];

// Bigger backtests belong to `recoup simulate` (up to 1,000,000 debtors), not to the serving process.
const MAX_CONSOLE_DEBTORS = 100_000;
const BacktestBody = Type.Object(
  {
    customers: Type.Integer({ minimum: 1, maximum: MAX_CONSOLE_DEBTORS, description: 'How many synthetic debtors' }),
    days: Type.Integer({ minimum: 2, maximum: 730, description: 'How many days the virtual clock runs' }),
    policy: Type.Union([Type.Literal('ai'), Type.Literal('baseline')], { description: 'The policy to run' }),
    seed: Type.Integer({ minimum: 0, maximum: 0xffffffff, description: 'The same seed gives the same population and outcomes' }),
    compare: Type.Optional(Type.Boolean({ description: 'Also run the other policy on the same world and compare (the default)' })),
  },
  { additionalProperties: false },
);

/** Long work: the list the console shows with progress, and retraining and backtests started from the console. */
export function jobRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    let training: Promise<void> | undefined;
    let backtest: RunningBacktest | undefined;
    // A training run in flight finishes (or fails) before the database closes under it; a backtest is
    // stopped, and recorded as stopped, since it could run for minutes more.
    server.addHook('preClose', async () => {
      await training?.catch(() => undefined);
      await backtest?.stop();
    });

    server.get('/v1/jobs', { schema: { tags: ['jobs'], summary: 'Long work (imports, backtests, model training), newest first, with progress' }, config: { roles: WATCHERS } }, async () => ({
      items: await listJobs(app.db),
    }));

    server.post(
      '/v1/models/retrain',
      { schema: { tags: ['models'], summary: 'Refit every model kind now, in the background; follow it in GET /v1/jobs' }, config: { roles: STARTERS } },
      async (request, reply) => {
        const actor = actorOf(request);
        const started = await startJobUnlessRunning(app.db, app.clock, trainingJobInput(actor));
        if ('busy' in started) return sendDomainError(reply, conflict(`a training run is already going (job ${started.busy})`, [{ field: '(request)', reason: 'wait for the running job to end' }]));
        const job = started.job;
        training = app.retrain(actor, job).catch((error: Error) => app.logger.warn({ err: error, jobId: job.id }, 'retraining failed'));
        return reply.status(202).send({ jobId: job.id });
      },
    );

    server.post(
      '/v1/backtests',
      {
        schema: { tags: ['jobs'], summary: 'Run a seeded backtest (as `recoup simulate`) in the background; follow it in GET /v1/jobs', body: BacktestBody },
        config: { roles: BACKTESTERS },
      },
      async (request, reply) => {
        const input = { ...request.body, compare: request.body.compare ?? true };
        const started = await startJobUnlessRunning(app.db, app.clock, { kind: 'backtest', label: backtestLabel(input), actor: actorOf(request), total: backtestSteps(input) });
        if ('busy' in started) return sendDomainError(reply, conflict(`a backtest is already going (job ${started.busy})`, [{ field: '(request)', reason: 'wait for the running job to end' }]));
        backtest = startBacktest(input, started.job);
        return reply.status(202).send({ jobId: started.job.id });
      },
    );
  };
}
