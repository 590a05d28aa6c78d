// GET /api/v1/alerts: alerts in the order they were stored, for polling clients, and the dashboard's
// history: filtered by unit, kind, time window and partner, newest first on request.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerContext } from './context.js';
import { queryTime } from './query-time.js';
import { AlertSchema, ERROR_RESPONSES, TimeQuery } from '../answer/schemas.js';
import { alertJson } from './wire.js';

const Query = Type.Object({
  since: Type.Optional(TimeQuery),
  until: Type.Optional({ ...TimeQuery, description: 'only alerts whose device time is before this (ISO 8601 with a zone, or ms since epoch)' }),
  after_id: Type.Optional(Type.Integer({ minimum: 0, description: 'only alerts stored after the alert with this id (pass the last id seen)' })),
  unit: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  kind: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-z-]+(,[a-z-]+)*$', description: 'one alert kind, or several separated by commas' })),
  partner: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "only alerts about a partner's unit (the other unit is UNIT@PARTNER)" })),
  order: Type.Optional(Type.Union([Type.Literal('stored'), Type.Literal('newest')], { default: 'stored', description: 'newest: the newest `limit` alerts, newest first' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
});

export const alertsRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/alerts', {
    schema: { querystring: Query, response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...ERROR_RESPONSES } },
  }, async (request) => {
    const q = request.query;
    // Every filter is the store's, so a filter finds matches however many other alerts there are.
    const alerts = await ctx.store.alerts({
      sinceMs: queryTime(q.since, 'since'), sinceId: q.after_id, unit: q.unit, untilMs: queryTime(q.until, 'until'),
      kinds: q.kind ? q.kind.split(',') : undefined, partner: q.partner, newestFirst: q.order === 'newest', limit: q.limit ?? 1000,
    });
    return { alerts: alerts.map(alertJson) };
  });
};
