// Which side of a line set a position is on, from its nearest point.
//
// The shortest geodesic from a position P to its nearest boundary point Q cannot cross the boundary (a
// crossing point would be nearer than Q), so P lies in the region that touches Q in the direction of P.
// At Q the lines leave as rays (one pair for a point inside a segment, two or more at a vertex); the region
// containing P is the sector between the two rays around P's direction. This is exact at vertices, concave
// corners and thin wedges, where "the side of the nearest segment" is not.
import type { LineSet } from './line-set.js';
import type { NearestResult } from './nearest.js';

/** Label of the region the probe is in ("left"/"right" label of the line whose ray bounds its sector). */
export function sideLabel(set: LineSet, hit: NearestResult): string {
  const seg = hit.segment;
  const line = set.lines[set.segLine[seg]];
  const beta = hit.azToProbe;
  if (hit.t > 0 && hit.t < 1) {
    // Rays forward and backward along the segment: P is right of it when clockwise of the forward ray.
    return mod360(beta - hit.segmentAz) < 180 ? line.right : line.left;
  }
  const vertex = set.segStart[seg] + (hit.t >= 1 ? 1 : 0);
  return vertexSideLabel(set, vertex, beta);
}

function vertexSideLabel(set: LineSet, vertex: number, beta: number): string {
  const junction = set.junctionOf[vertex];
  const vertices = junction >= 0 ? set.junctions[junction] : [vertex];
  // The ray just counter-clockwise of P's direction bounds P's sector; P lies on that ray's clockwise side.
  let bestAngle = Infinity;
  let bestLabel = '';
  let rays = 0;
  let onlyAz = 0;
  let onlyForward = false;
  let onlyLine = 0;
  for (const v of vertices) {
    const li = lineOfVertex(set, v);
    const line = set.lines[li];
    // Segments of line li start at vertices firstVertex..lastVertex-1 and are numbered vertex - li.
    if (v > line.firstVertex) {
      // Backward ray along the segment that ends here: its clockwise side is the segment's left.
      const az = set.azimuthAtEnd(v - 1 - li) + 180;
      const a = mod360(beta - az);
      if (a < bestAngle) { bestAngle = a; bestLabel = line.left; }
      rays++; onlyAz = az; onlyForward = false; onlyLine = li;
    }
    if (v < line.lastVertex) {
      // Forward ray along the segment that starts here: its clockwise side is the segment's right.
      const az = set.azimuthAtStart(v - li);
      const a = mod360(beta - az);
      if (a < bestAngle) { bestAngle = a; bestLabel = line.right; }
      rays++; onlyAz = az; onlyForward = true; onlyLine = li;
    }
  }
  if (rays === 1) {
    // An open end of a line: the sides continue along the line's straight extension.
    const line = set.lines[onlyLine];
    if (mod360(beta - onlyAz - 180) < bestAngle) bestLabel = onlyForward ? line.left : line.right;
  }
  return bestLabel;
}

/**
 * Whether the nearest point is the open end of a line (a first or last vertex that no other line or part of the
 * line meets): there the line's sides are only its straight extension, and a line decides nothing beyond its ends.
 */
export function isOpenEnd(set: LineSet, hit: NearestResult): boolean {
  if (hit.t > 0 && hit.t < 1) return false;
  const seg = hit.segment;
  const vertex = set.segStart[seg] + (hit.t >= 1 ? 1 : 0);
  const line = set.lines[set.segLine[seg]];
  if (vertex !== line.firstVertex && vertex !== line.lastVertex) return false;
  const junction = set.junctionOf[vertex];
  return junction < 0 || set.junctions[junction].length < 2;
}

/** Index of the line a vertex belongs to (lines are stored in vertex order). */
export function lineOfVertex(set: LineSet, vertex: number): number {
  const lines = set.lines;
  let lo = 0, hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].firstVertex <= vertex) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function mod360(deg: number): number {
  const a = deg % 360;
  return a < 0 ? a + 360 : a;
}
