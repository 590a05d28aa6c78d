import type { Determination } from '../geo/index.js';

/** The public answer to "where am I?": the object `lindero where --json` prints and GET /api/v1/where returns. */
export interface WhereJson {
  lat: number;
  lon: number;
  mgrs: string;
  territory: string;
  confidence: number;
  certain: boolean;
  accuracy_m: number;
  boundary: { distance_m: number; nearest: { lat: number; lon: number }; bearing_deg: number; other_territory: string };
  fence: null | { name: string; side: 'boundary' | 'inland'; distance_m: number; illustrative: boolean };
  zone: 'strip' | 'inland';
}

const round = (x: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** The determination's part of the answer (no position): what the API attaches to stored fixes and alerts. */
export type DeterminationJson = Omit<WhereJson, 'lat' | 'lon' | 'mgrs'>;

/** Snake-case wire form of a determination. Distances to 0.1 mm, coordinates to ~0.1 mm, bearing to 1e-4°. */
export function determinationJson(det: Determination): DeterminationJson {
  return {
    territory: det.territory,
    confidence: round(det.confidence, 6),
    certain: det.certain,
    accuracy_m: det.accuracyM,
    boundary: {
      distance_m: round(det.boundary.distanceM, 4),
      nearest: { lat: round(det.boundary.nearest.lat, 9), lon: round(det.boundary.nearest.lon, 9) },
      bearing_deg: round(det.boundary.bearingDeg, 4) % 360,
      other_territory: det.boundary.otherTerritory,
    },
    fence: det.fence
      ? { name: det.fence.name, side: det.fence.side, distance_m: round(det.fence.distanceM, 4), illustrative: det.fence.illustrative }
      : null,
    zone: det.zone,
  };
}

/** The answer to "where am I?" for a position: where it is, its MGRS reference, and its determination. */
export function whereJson(det: Determination, mgrs: string): WhereJson {
  return { lat: det.lat, lon: det.lon, mgrs, ...determinationJson(det) };
}

/**
 * JSON.stringify(whereJson(det, mgrs)), written out directly: the batch CLI prints one per input line and
 * the intermediate objects were a fifth of its time in garbage collection. Numbers print as JSON does.
 */
export function whereJsonText(det: Determination, mgrs: string): string {
  const b = det.boundary;
  const f = det.fence;
  const fence = f
    ? `{"name":${JSON.stringify(f.name)},"side":"${f.side}","distance_m":${round(f.distanceM, 4)},"illustrative":${f.illustrative}}`
    : 'null';
  return `{"lat":${det.lat},"lon":${det.lon},"mgrs":${JSON.stringify(mgrs)},"territory":${JSON.stringify(det.territory)},` +
    `"confidence":${round(det.confidence, 6)},"certain":${det.certain},"accuracy_m":${det.accuracyM},` +
    `"boundary":{"distance_m":${round(b.distanceM, 4)},"nearest":{"lat":${round(b.nearest.lat, 9)},"lon":${round(b.nearest.lon, 9)}},` +
    `"bearing_deg":${round(b.bearingDeg, 4) % 360},"other_territory":${JSON.stringify(b.otherTerritory)}},"fence":${fence},"zone":"${det.zone}"}`;
}
