// GET /api/v1/layers: the boundary and fence lines the server classifies against, and its territory polygons
// when it has them, as GeoJSON, so the dashboard draws exactly the lines and areas the verdicts come from.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Layers } from '../geo/index.js';
import type { ServerContext } from './context.js';
import { ERROR_RESPONSES, LineStringSchema } from '../answer/schemas.js';

type Line = { firstVertex: number; lastVertex: number };

function coordinates(set: { lonDeg: Float64Array; latDeg: Float64Array }, line: Line): number[][] {
  const out: number[][] = [];
  for (let v = line.firstVertex; v <= line.lastVertex; v++) out.push([set.lonDeg[v], set.latDeg[v]]);
  return out;
}

/** The compiled layers back as GeoJSON: boundary lines with their `left`/`right` territories, fences with theirs. */
export function layersGeoJson(layers: Layers) {
  const b = layers.boundary;
  const boundary = b.lines.map((line) => ({
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates: coordinates(b, line) },
    properties: { name: line.name, left: line.left, right: line.right, edges: line.edges },
  }));
  const f = layers.fences;
  const fences = f
    ? f.lines.map((line, i) => {
        const info = layers.fenceInfo[i];
        const properties: Record<string, unknown> = { name: line.name, territory: info.territory, illustrative: info.illustrative, edges: line.edges };
        if (info.provenance) properties.provenance = info.provenance;
        return { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: coordinates(f, line) }, properties };
      })
    : [];
  return {
    boundary: { type: 'FeatureCollection' as const, features: boundary },
    fences: { type: 'FeatureCollection' as const, features: fences },
    territories: { type: 'FeatureCollection' as const, features: territoryFeatures(layers) },
  };
}

/**
 * One MultiPolygon per territory, a polygon per ring (a ring inside another, a hole, is drawn filled: the
 * dashboard only tints them). Empty when the layers are lines alone.
 */
function territoryFeatures(layers: Layers) {
  const byTerritory = new Map<string, number[][][][]>();
  for (const ring of layers.territoryGrid?.rings() ?? []) {
    const polygons = byTerritory.get(ring.territory) ?? [];
    polygons.push([ring.coordinates]);
    byTerritory.set(ring.territory, polygons);
  }
  return [...byTerritory].map(([territory, coordinates]) => ({
    type: 'Feature' as const, geometry: { type: 'MultiPolygon' as const, coordinates }, properties: { territory },
  }));
}

const LineCollection = (properties: ReturnType<typeof Type.Object>) => Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({ type: Type.Literal('Feature'), geometry: LineStringSchema, properties })),
});

export const LayersSchema = Type.Object({
  territories: Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Object({
      type: Type.Literal('Feature'),
      geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number())))) }),
      properties: Type.Object({ territory: Type.String() }),
    })),
  }),
  boundary: LineCollection(Type.Object({ name: Type.String(), left: Type.String(), right: Type.String(), edges: Type.String() })),
  fences: LineCollection(Type.Object({
    name: Type.String(), territory: Type.String(), illustrative: Type.Boolean(), edges: Type.String(), provenance: Type.Optional(Type.String()),
  })),
});

export const layersRoutes: FastifyPluginAsyncTypebox<ServerContext> = async (app, ctx) => {
  // The layers do not change while the server runs: serialise them once.
  const body = JSON.stringify(layersGeoJson(ctx.layers));
  app.get('/layers', { schema: { response: { 200: LayersSchema, ...ERROR_RESPONSES } } }, async (_request, reply) => {
    void reply.type('application/json').header('cache-control', 'max-age=300');
    // Already JSON: Fastify sends a string as it is; the schema still documents the shape.
    return reply.send(body as unknown as Static<typeof LayersSchema>);
  });
};
