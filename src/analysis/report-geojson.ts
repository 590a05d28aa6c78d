// `lindero track --geojson`: the tracks, their crossing points, closest approaches and emergencies as one
// FeatureCollection (RFC 7946) that GIS tools open directly; written in pieces, so a long track is never
// one giant string.
import { iso, mm, type TrackReport, type UnitReport } from './report.js';

const position = (lon: number, lat: number) => `[${+lon.toFixed(7)},${+lat.toFixed(7)}]`;
/** Positions per written piece. */
const CHUNK_POSITIONS = 8192;

/** The FeatureCollection as text pieces; joined they are one JSON document. */
export function* trackReportGeoJson(report: TrackReport): Generator<string> {
  yield '{"type":"FeatureCollection","features":[\n';
  let first = true;
  const sep = () => {
    const s = first ? '' : ',\n';
    first = false;
    return s;
  };
  for (const u of report.units) {
    const parts = (u.track ?? []).filter((part) => part.length >= 4);
    if (parts.length > 0) {
      yield sep();
      yield* trackFeature(u, parts);
    }
    for (const c of u.crossings) {
      yield sep() + feature({ unit: u.unit, kind: 'crossing', time: iso(c.time), from: c.from, to: c.to, confirmed: c.confirmed }, `{"type":"Point","coordinates":${position(c.lon, c.lat)}}`);
    }
    for (const e of u.emergencies) {
      yield sep() + feature(
        { unit: u.unit, kind: e.state === 'declared' ? 'emergency' : 'emergency-cancelled', time: iso(e.time), what: e.what, territory: e.territory, distance_m: mm(e.distanceM) },
        `{"type":"Point","coordinates":${position(e.lon, e.lat)}}`,
      );
    }
    const ca = u.closestApproach;
    yield sep() + feature(
      { unit: u.unit, kind: 'closest-approach', time: iso(ca.time), distance_m: mm(ca.distanceM), territory: ca.territory },
      `{"type":"Point","coordinates":${position(ca.lon, ca.lat)}}`,
    );
  }
  yield '\n]}\n';
}

function feature(properties: object, geometry: string): string {
  return `{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":${geometry}}`;
}

/** The unit's track: a LineString, or a MultiLineString when gaps split it (parts of one fix are left out). */
function* trackFeature(u: UnitReport, parts: Float64Array[]): Generator<string> {
  const properties = {
    unit: u.unit, kind: 'track', points: u.points, start: iso(u.start), end: iso(u.end),
    crossings: u.crossings.length, confirmed_crossings: u.crossings.filter((c) => c.confirmed).length, gaps: u.gaps.length,
  };
  const multi = parts.length > 1;
  yield `{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":{"type":"${multi ? 'MultiLineString' : 'LineString'}","coordinates":${multi ? '[' : ''}`;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    for (let i = 0; i < part.length; i += 2 * CHUNK_POSITIONS) {
      const end = Math.min(part.length, i + 2 * CHUNK_POSITIONS);
      const positions: string[] = [];
      for (let k = i; k < end; k += 2) positions.push(position(part[k], part[k + 1]));
      yield (i === 0 ? (p > 0 ? ',[' : '[') : ',') + positions.join(',');
    }
    yield ']';
  }
  yield `${multi ? ']' : ''}}}`;
}
