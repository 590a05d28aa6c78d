// Polygon rings that enclose nothing: fewer than the four positions a ring needs (RFC 7946 §3.1.6) and at most
// two distinct ones — a small island or country a simplifying tool collapsed to a point. They hold no place,
// so leaving them out changes no answer; they are left out and said, where a ring that is merely unclosed
// or short of positions is still refused by the geometry check.
import type { Geometry, Position } from 'geojson';

/** The geometry without its collapsed rings (null when nothing is left), and how many were left out. */
export function withoutCollapsedRings(g: Geometry): { geometry: Geometry | null; dropped: number } {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return { geometry: g, dropped: 0 };
  if (!Array.isArray(g.coordinates)) return { geometry: g, dropped: 0 };
  let dropped = 0;
  const polygon = (rings: Position[][]): Position[][] | null => {
    if (!Array.isArray(rings)) return rings;
    const kept = rings.filter((ring) => !(collapsed(ring) && ++dropped));
    // Without its outer ring a polygon is nothing, whatever holes it had.
    return rings.length > 0 && collapsed(rings[0]) ? null : kept;
  };
  if (g.type === 'Polygon') {
    const rings = polygon(g.coordinates);
    return { geometry: rings && rings.length > 0 ? { ...g, coordinates: rings } : null, dropped };
  }
  const polygons = g.coordinates.map(polygon).filter((p): p is Position[][] => p !== null && p.length > 0);
  return { geometry: polygons.length > 0 ? { ...g, coordinates: polygons } : null, dropped };
}

function collapsed(ring: unknown): boolean {
  if (!Array.isArray(ring) || ring.length >= 4 || ring.length === 0) return false;
  const distinct = new Set<string>();
  for (const p of ring) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return false;
    distinct.add(`${p[0]},${p[1]}`);
  }
  return distinct.size <= 2;
}
