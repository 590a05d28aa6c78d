// GET /api/v1/units (each unit's latest fix and determination) and a unit's track as GeoJSON.
import { MAX_TIME_MS } from '../model/index.js';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { StoredFix } from '../store/index.js';
import type { ServerContext } from './context.js';
import { HttpError } from './http-errors.js';
import { queryTime } from './query-time.js';
import { ERROR_RESPONSES, LineStringSchema, PointSchema, TimeQuery, UnitSchema } from '../answer/schemas.js';
import { isoTime, unitJson } from './wire.js';

const UnitsSchema = Type.Object({ units: Type.Array(UnitSchema) });

const PointProperties = Type.Object({
  id: Type.Integer(),
  time: Type.String(),
  time_ms: Type.Number(),
  accuracy_m: Type.Optional(Type.Number()),
  source: Type.String(),
  late: Type.Boolean(),
  /** Null outside every territory the layers cover (as the determination's own). */
  territory: Type.Union([Type.String(), Type.Null()]),
  zone: Type.String(),
  certain: Type.Boolean(),
  confidence: Type.Number(),
  boundary_distance_m: Type.Number(),
});

const TrackSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Union([
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: LineStringSchema,
      properties: Type.Object({ unit: Type.String(), fix_count: Type.Integer(), from: Type.String(), to: Type.String() }),
    }),
    Type.Object({ type: Type.Literal('Feature'), geometry: PointSchema, properties: PointProperties }),
  ])),
});

/** The track in device-time order: one LineString of the path, then one Point per fix with its verdict. */
function trackGeoJson(unit: string, fixes: StoredFix[]) {
  const points = fixes.map((f) => {
    const properties: Static<typeof PointProperties> = {
      id: f.id, time: isoTime(f.time), time_ms: f.time, source: f.source, late: f.late,
      territory: f.determination.territory, zone: f.determination.zone, certain: f.determination.certain,
      confidence: f.determination.confidence, boundary_distance_m: f.determination.boundary.distanceM,
    };
    if (f.accuracyM !== undefined) properties.accuracy_m = f.accuracyM;
    return { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [f.lon, f.lat] }, properties };
  });
  if (fixes.length < 2) return { type: 'FeatureCollection' as const, features: points };
  const line = {
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates: fixes.map((f) => [f.lon, f.lat]) },
    properties: { unit, fix_count: fixes.length, from: isoTime(fixes[0].time), to: isoTime(fixes[fixes.length - 1].time) },
  };
  return { type: 'FeatureCollection' as const, features: [line, ...points] };
}

/** Longest unit id in a path; the store refuses longer ones anyway. */
const MAX_UNIT_PARAM = 256;

export const unitsRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  app.get('/units', { schema: { response: { 200: UnitsSchema, ...ERROR_RESPONSES } } }, async () => {
    return { units: [...(await ctx.store.units()).map(unitJson), ...((await ctx.share?.unitsJson()) ?? [])] };
  });

  app.get('/units/:unit/track', {
    schema: {
      params: Type.Object({ unit: Type.String({ minLength: 1, maxLength: MAX_UNIT_PARAM }) }),
      querystring: Type.Object({ from: Type.Optional(TimeQuery), to: Type.Optional(TimeQuery) }),
      response: { 200: TrackSchema, ...ERROR_RESPONSES },
    },
  }, async (request, reply) => {
    const { unit } = request.params;
    const fromMs = queryTime(request.query.from, 'from');
    const toMs = queryTime(request.query.to, 'to');
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) throw new HttpError(400, 'bad-range', '`from` is after `to`', 'from');
    const fixes = await ctx.store.track(unit, fromMs, toMs);
    if (fixes.length === 0 && (await ctx.store.latestFixBefore(unit, MAX_TIME_MS)) === null) {
      throw new HttpError(404, 'unknown-unit', `no fixes have been received from unit ${JSON.stringify(unit.slice(0, 80))}`, 'unit');
    }
    void reply.type('application/geo+json');
    return trackGeoJson(unit, fixes);
  });
};
