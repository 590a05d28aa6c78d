// GET /api/v1/markers: map markers heard from TAK clients (placed points, spot markers, drawings), not
// yet stale — shown on a map, never units: they are not stored, classified or alerted on.
import { MAX_TIME_MS } from '../model/index.js';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerContext } from './context.js';
import { ERROR_RESPONSES, MarkerSchema } from '../answer/schemas.js';
import { isoTime } from './wire.js';


export const markersRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/markers', { schema: { response: { 200: Type.Object({ markers: Type.Array(MarkerSchema) }), ...ERROR_RESPONSES } } }, async () => ({
    markers: ctx.pipeline.markers.list().map((m) => {
      const out: typeof MarkerSchema.static = { uid: m.uid, type: m.type, lat: m.lat, lon: m.lon, time: isoTime(m.time), not_unit_because: m.notUnitBecause };
      if (m.name !== undefined) out.name = m.name;
      if (m.how !== undefined) out.how = m.how;
      if (m.stale !== undefined && Math.abs(m.stale) <= MAX_TIME_MS) out.stale = isoTime(m.stale);
      return out;
    }),
  }));
};
