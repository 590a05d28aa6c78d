// The strip between a fence and the boundary, as polygons to shade: the fence, then the stretch of
// boundary between the points nearest the fence's two ends, walked back. Drawn only; no verdict uses it
// (classify() decides the zone exactly).
import type { Feature, LineString, Polygon, Position } from 'geojson';

interface Projection {
  line: number;
  /** Segment index plus the fraction along it: a position along the line. */
  along: number;
  point: Position;
  distance: number;
}

/** Nearest point of any line to `p`, in a local equirectangular plane (fine at fence-to-line distances). */
function project(lines: Position[][], p: Position): Projection | null {
  const k = Math.cos((p[1] * Math.PI) / 180);
  let best: Projection | null = null;
  lines.forEach((coords, line) => {
    for (let i = 0; i + 1 < coords.length; i++) {
      const [ax, ay] = coords[i];
      const [bx, by] = coords[i + 1];
      const dx = (bx - ax) * k, dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (((p[0] - ax) * k) * dx + (p[1] - ay) * dy) / len2));
      const qx = ax + (bx - ax) * t, qy = ay + (by - ay) * t;
      const distance = Math.hypot((p[0] - qx) * k, p[1] - qy);
      if (!best || distance < best.distance) best = { line, along: i + t, point: [qx, qy], distance };
    }
  });
  return best;
}

/** The part of `coords` between two positions along it, from `fromAlong` to `toAlong` (either order). */
function stretch(coords: Position[], from: Projection, to: Projection): Position[] {
  const forward = from.along <= to.along;
  const [a, b] = forward ? [from, to] : [to, from];
  const out: Position[] = [a.point];
  for (let v = Math.floor(a.along) + 1; v <= Math.ceil(b.along) - 1 && v < coords.length; v++) {
    if (v > a.along && v < b.along) out.push(coords[v]);
  }
  out.push(b.point);
  return forward ? out : out.reverse();
}

/** One polygon per fence whose two ends face the same boundary line. */
export function stripPolygons(boundaryLines: Position[][], fences: Feature<LineString>[]): Feature<Polygon>[] {
  const out: Feature<Polygon>[] = [];
  for (const fence of fences) {
    const coords = fence.geometry.coordinates;
    if (coords.length < 2) continue;
    const start = project(boundaryLines, coords[0]);
    const end = project(boundaryLines, coords[coords.length - 1]);
    if (!start || !end || start.line !== end.line) continue;
    // Fence from its start to its end, then the boundary from the end's foot back to the start's foot.
    const back = stretch(boundaryLines[start.line], end, start);
    const ring = [...coords, ...back, coords[0]];
    out.push({ type: 'Feature', properties: { ...fence.properties }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  return out;
}
