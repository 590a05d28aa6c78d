// A unit's recorded track turned into what the replay draws: stretches coloured by territory, the
// crossings between them, and the unit's position at any moment.
import type { Feature, LineString, Point, Position } from 'geojson';
import type { TrackJson, TrackPointProperties } from '../api/types.js';

export interface TrackFix {
  timeMs: number;
  lon: number;
  lat: number;
  territory: string;
}

/** The fixes of a track (its Point features), in device-time order. */
export function trackFixes(track: TrackJson): TrackFix[] {
  const fixes: TrackFix[] = [];
  for (const f of track.features) {
    if (f.geometry.type !== 'Point') continue;
    const p = f.properties as unknown as TrackPointProperties;
    const [lon, lat] = f.geometry.coordinates;
    fixes.push({ timeMs: p.time_ms, lon, lat, territory: p.territory ?? 'outside' });
  }
  return fixes.sort((a, b) => a.timeMs - b.timeMs);
}

/** Runs of fixes in one territory, each joined to the next fix so the drawn path has no gaps. */
export function territoryRuns(unit: string, fixes: TrackFix[]): Feature<LineString>[] {
  const runs: Feature<LineString>[] = [];
  let start = 0;
  for (let i = 1; i <= fixes.length; i++) {
    if (i < fixes.length && fixes[i].territory === fixes[start].territory) continue;
    const coords = fixes.slice(start, Math.min(i + 1, fixes.length)).map((f) => [f.lon, f.lat]);
    if (coords.length >= 2) {
      runs.push({ type: 'Feature', properties: { unit, territory: fixes[start].territory }, geometry: { type: 'LineString', coordinates: coords } });
    }
    start = i;
  }
  return runs;
}

/**
 * Where the track crossed the boundary: between two fixes in different territories, at the point where
 * that step meets the boundary line (or half-way, when the step does not meet it as drawn).
 */
export function crossingPoints(unit: string, fixes: TrackFix[], boundary: Position[][]): Feature<Point>[] {
  const out: Feature<Point>[] = [];
  for (let i = 1; i < fixes.length; i++) {
    const a = fixes[i - 1], b = fixes[i];
    if (a.territory === b.territory) continue;
    const at = intersection([a.lon, a.lat], [b.lon, b.lat], boundary) ?? [(a.lon + b.lon) / 2, (a.lat + b.lat) / 2];
    out.push({
      type: 'Feature',
      properties: { unit, from: a.territory, to: b.territory, time_ms: b.timeMs },
      geometry: { type: 'Point', coordinates: at },
    });
  }
  return out;
}

function intersection(p: Position, q: Position, lines: Position[][]): Position | null {
  const minX = Math.min(p[0], q[0]), maxX = Math.max(p[0], q[0]);
  const minY = Math.min(p[1], q[1]), maxY = Math.max(p[1], q[1]);
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const a = line[i], b = line[i + 1];
      if (Math.max(a[0], b[0]) < minX || Math.min(a[0], b[0]) > maxX || Math.max(a[1], b[1]) < minY || Math.min(a[1], b[1]) > maxY) continue;
      const hit = segmentIntersection(p, q, a, b);
      if (hit) return hit;
    }
  }
  return null;
}

function segmentIntersection(p: Position, q: Position, a: Position, b: Position): Position | null {
  const rx = q[0] - p[0], ry = q[1] - p[1], sx = b[0] - a[0], sy = b[1] - a[1];
  const denom = rx * sy - ry * sx;
  if (denom === 0) return null;
  const t = ((a[0] - p[0]) * sy - (a[1] - p[1]) * sx) / denom;
  const u = ((a[0] - p[0]) * ry - (a[1] - p[1]) * rx) / denom;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? [p[0] + t * rx, p[1] + t * ry] : null;
}

/** The unit's position at `timeMs`, between the fixes either side; null before its first fix or after its last. */
export function positionAt(fixes: TrackFix[], timeMs: number): TrackFix | null {
  if (fixes.length === 0 || timeMs < fixes[0].timeMs || timeMs > fixes[fixes.length - 1].timeMs) return null;
  let lo = 0, hi = fixes.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fixes[mid].timeMs <= timeMs) lo = mid;
    else hi = mid;
  }
  const a = fixes[lo], b = fixes[hi];
  const f = b.timeMs === a.timeMs ? 0 : (timeMs - a.timeMs) / (b.timeMs - a.timeMs);
  return { timeMs, lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f, territory: f < 1 ? a.territory : b.territory };
}
