// GET /api/v1/where: "which side am I on" for one position, the same object as `lindero where --json`.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { whereJson } from '../answer/index.js';
import { formatMgrs } from '../coords/index.js';
import { classify } from '../geo/index.js';
import type { ServerContext } from './context.js';
import { queryNumber } from './query-time.js';
import { ERROR_RESPONSES, WhereSchema } from '../answer/schemas.js';

const Query = Type.Object({
  lat: Type.String({ maxLength: 40, description: 'WGS84 latitude, decimal degrees' }),
  lon: Type.String({ maxLength: 40, description: 'WGS84 longitude, decimal degrees' }),
  accuracy_m: Type.Optional(Type.String({ maxLength: 40, description: '1-sigma horizontal accuracy, metres; without it one is assumed (20 m unless `lindero serve --assumed-accuracy` says otherwise) and the answer says so' })),
}, { additionalProperties: false });

export const whereRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/where', {
    schema: { querystring: Query, response: { 200: WhereSchema, ...ERROR_RESPONSES } },
  }, async (request) => {
    const lat = queryNumber(request.query.lat, 'lat', -90, 90);
    const lon = queryNumber(request.query.lon, 'lon', -180, 180);
    const accuracy = request.query.accuracy_m;
    // No accuracy given: classify assumes one (the server's --assumed-accuracy) and says it was assumed.
    const accuracyM = accuracy === undefined ? null : queryNumber(accuracy, 'accuracy_m', Number.MIN_VALUE, 1_000_000);
    const determination = classify({ lat, lon, accuracyM }, ctx.layers, { ...ctx.classifyOptions, defaultAccuracyM: ctx.defaultAccuracyM });
    return whereJson(determination, formatMgrs(lat, lon));
  });
};
