// GET /api/v1/alerts?since=: alerts in the order they were stored, for polling clients.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerContext } from './context.js';
import { queryTime } from './query-time.js';
import { AlertSchema, ERROR_RESPONSES, TimeQuery } from '../answer/index.js';
import { alertJson } from './wire.js';

const Query = Type.Object({
  since: Type.Optional(TimeQuery),
  after_id: Type.Optional(Type.Integer({ minimum: 0, description: 'only alerts stored after the alert with this id (pass the last id seen)' })),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
});

export const alertsRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/alerts', {
    schema: { querystring: Query, response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...ERROR_RESPONSES } },
  }, async (request) => {
    const q = request.query;
    const alerts = await ctx.store.alerts({ sinceMs: queryTime(q.since, 'since'), sinceId: q.after_id, unit: q.unit, limit: q.limit });
    return { alerts: alerts.map(alertJson) };
  });
};
