// GET /api/v1/alerts: alerts in the order they were stored, for polling clients, and the dashboard's
// history: filtered by unit, kind, time window and partner, newest first on request.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StoredAlert } from '../store/index.js';
import type { ServerContext } from './context.js';
import { queryTime } from './query-time.js';
import { AlertSchema, ERROR_RESPONSES, TimeQuery } from '../answer/schemas.js';
import { alertJson } from './wire.js';

/** The most the store gives in one read; the filters below the store's own apply within it. */
const STORE_READ_MAX = 10_000;

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

type AlertsQuery = typeof Query.static;

/** Whether an alert passes the filters the store does not apply itself. */
function matcher(q: AlertsQuery): ((a: StoredAlert) => boolean) | null {
  const untilMs = queryTime(q.until, 'until');
  const kinds = q.kind ? new Set(q.kind.split(',')) : null;
  const partnerSuffix = q.partner ? `@${q.partner}` : null;
  if (untilMs === undefined && !kinds && !partnerSuffix) return null;
  return (a) => (untilMs === undefined || a.time < untilMs)
    && (!kinds || kinds.has(a.kind))
    && (!partnerSuffix || (a.otherUnit?.endsWith(partnerSuffix) ?? false));
}

export const alertsRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/alerts', {
    schema: { querystring: Query, response: { 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...ERROR_RESPONSES } },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 1000;
    const match = matcher(q);
    const newest = q.order === 'newest';
    const read = match || newest ? STORE_READ_MAX : limit;
    let alerts = await ctx.store.alerts({ sinceMs: queryTime(q.since, 'since'), sinceId: q.after_id, unit: q.unit, limit: read });
    if (match) alerts = alerts.filter(match);
    alerts = newest ? alerts.slice(-limit).reverse() : alerts.slice(0, limit);
    return { alerts: alerts.map(alertJson) };
  });
};
