import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { App } from '../../app.js';
import { resolveKpiWindow } from '../../analytics/kpi-window.js';
import { GROUP_BYS, loadKpis } from '../../analytics/kpis.js';
import { offPolicyReport } from '../../decisioning/live/off-policy-report.js';
import { prefixFields } from '../../core/errors.js';
import type { Role } from '../../db/schema.js';
import { sendDomainError } from '../errors.js';

// Aggregates only, no personal data: those who run, watch or check the collections.
const KPI_READERS: readonly Role[] = ['admin', 'operator', 'analyst', 'auditor'];

// The date range both reports take (see analytics/kpi-window.ts).
const RANGE = {
  from: Type.Optional(Type.String({ maxLength: 40, description: 'Start (inclusive), ISO 8601; a bare date is its whole UTC day. Default: 30 days before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'End (exclusive), ISO 8601; a bare date includes that day. Default: now' })),
};

export function analyticsRoutes(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/v1/analytics/kpis',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Collection KPIs for [from, to): contact outcomes by group, recovery, roll rates, promises, handoffs',
          querystring: Type.Object(
            { ...RANGE, groupBy: Type.Optional(Type.Enum([...GROUP_BYS], { description: 'How contact outcomes are split; default day' })) },
            { additionalProperties: false },
          ),
        },
        config: { roles: KPI_READERS },
      },
      async (request, reply) => {
        const report = await loadKpis(app.db, app.clock.now(), request.query);
        return report.ok ? report.value : sendDomainError(reply, prefixFields(report.error, 'query'));
      },
    );

    server.get(
      '/v1/analytics/off-policy',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Off-policy estimates (IPS, self-normalised IPS, doubly robust) of the baseline schedule and of waiting, from the learning policy\'s logged decisions in [from, to), beside what the policy and its control group observed',
          querystring: Type.Object(RANGE, { additionalProperties: false }),
        },
        config: { roles: KPI_READERS },
      },
      async (request, reply) => {
        const window = resolveKpiWindow(request.query, app.clock.now());
        if (!window.ok) return sendDomainError(reply, prefixFields(window.error, 'query'));
        return offPolicyReport(app.db, window.value.from, window.value.to);
      },
    );
  };
}
