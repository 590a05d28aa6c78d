// GET /api/v1/markers: map markers heard from TAK clients (placed points, spot markers, drawings), not
// yet stale — shown on a map, never units: they are not stored, classified or alerted on.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerContext } from './context.js';
import { ERROR_RESPONSES, MarkerSchema } from '../answer/schemas.js';
import { markerJson } from './wire.js';


export const markersRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/markers', { schema: { response: { 200: Type.Object({ markers: Type.Array(MarkerSchema) }), ...ERROR_RESPONSES } } }, async () => ({
    markers: ctx.pipeline.markers.list().map(markerJson),
  }));
};
