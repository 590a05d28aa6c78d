// The wire form of the answer to "where am I?", declared once as JSON Schema (TypeBox): the HTTP API validates
// and serialises with it (server/schemas.ts, incidents/schemas.ts), and the web apps take their types from it.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const LatLon = Type.Object({ lat: Type.Number(), lon: Type.Number() });

const FenceJson = Nullable(Type.Object({
  name: Type.String(),
  side: Type.Union([Type.Literal('boundary'), Type.Literal('inland')]),
  distance_m: Type.Number(),
  illustrative: Type.Boolean(),
}));

const NullableTerritory = Type.Union([Type.String(), Type.Null()]);
const Dominant = Type.Union([Type.Literal('position'), Type.Literal('line')]);

const BoundaryJson = Type.Object({
  distance_m: Type.Number(),
  nearest: LatLon,
  bearing_deg: Type.Number(),
  /** Null when the position is outside every territory the layers cover. */
  other_territory: NullableTerritory,
  /** The two territories the nearest line separates (absent in determinations stored before it was recorded). */
  between: Type.Optional(Type.Tuple([Type.String(), Type.String()])),
});

/** The determination's fields, the where object without the position. */
const determinationFields = {
  /** Null outside every territory the layers cover: then no side is claimed (outside: true). */
  territory: NullableTerritory,
  outside: Type.Optional(Type.Boolean()),
  confidence: Type.Number(),
  certain: Type.Boolean(),
  accuracy_m: Type.Number(),
  /** Whether accuracy_m was assumed because the position came without one. */
  accuracy_assumed: Type.Optional(Type.Boolean()),
  line_uncertainty_m: Type.Optional(Type.Number()),
  uncertainty_m: Type.Optional(Type.Number()),
  uncertainty_dominant: Type.Optional(Dominant),
  boundary: BoundaryJson,
  fence: FenceJson,
  zone: Type.Union([Type.Literal('strip'), Type.Literal('inland')]),
  /** The side of the square the position as written names (an MGRS reference's, or the cell coarse digits are rounded to), metres; absent for a point. */
  square_m: Type.Optional(Type.Number()),
};

/** The answer of GET /api/v1/where: the object `lindero where --json` prints. */
export const WhereSchema = Type.Object({
  lat: Type.Number(),
  lon: Type.Number(),
  mgrs: Type.String(),
  ...determinationFields,
});

/**
 * A fix's determination: the where object without the position (it is on the fix). The fields added with
 * territories and assumed accuracies are optional here, as determinations stored before them lack them.
 */
export const DeterminationSchema = Type.Object(determinationFields);
/** The where object as the API may send it: today's fields, or a stored determination's that predates some. */
export type WhereWireJson = Static<typeof WhereSchema>;
export type DeterminationJson = Static<typeof DeterminationSchema>;
