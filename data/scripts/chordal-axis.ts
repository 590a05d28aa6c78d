// A course down the middle of a channel: the chordal axis of the gap polygon between two shores
// (Prasad's chordal axis transform, an approximation of the medial axis): triangulate the gap,
// then join the midpoints of the diagonals crossed on the way from one end to the other. Each
// step stays inside one triangle, so the course stays inside the gap.
import earcut from 'earcut';
import type { LonLat } from './planar.js';

/** New coordinates are rounded to 1e-7 degrees, finer than the source's 1e-5. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

/**
 * The chordal axis from the shores' common first vertex to their common last vertex, or null
 * when the gap cannot be triangulated (shores that cross or touch between their ends).
 */
export function chordalAxis(us: LonLat[], mx: LonLat[]): LonLat[] | null {
  // The gap ring: along the U.S. shore, then back along the Mexican one (its inner vertices).
  const ring = [...us, ...mx.slice(1, -1).reverse()];
  const last = us.length - 1;
  const triangles = earcut(ring.flat());
  if (triangles.length === 0) return null;
  const triangleCount = triangles.length / 3;
  const byDiagonal = new Map<string, number[]>();
  const diagonalKey = (i: number, j: number) => (i < j ? i + ',' + j : j + ',' + i);
  for (let t = 0; t < triangleCount; t++) for (let k = 0; k < 3; k++) {
    const key = diagonalKey(triangles[3 * t + k], triangles[3 * t + ((k + 1) % 3)]);
    byDiagonal.set(key, [...(byDiagonal.get(key) ?? []), t]);
  }
  // Breadth-first over triangles sharing a diagonal, from those at the first vertex to one at the last.
  const cameFrom = new Int32Array(triangleCount).fill(-2);
  const queue: number[] = [];
  for (let t = 0; t < triangleCount; t++) if ([0, 1, 2].some((k) => triangles[3 * t + k] === 0)) { cameFrom[t] = -1; queue.push(t); }
  let goal = -1;
  for (let q = 0; q < queue.length && goal < 0; q++) {
    const t = queue[q];
    if ([0, 1, 2].some((k) => triangles[3 * t + k] === last)) { goal = t; break; }
    for (let k = 0; k < 3; k++) {
      const a = triangles[3 * t + k], b = triangles[3 * t + ((k + 1) % 3)];
      for (const u of byDiagonal.get(diagonalKey(a, b)) ?? []) if (cameFrom[u] === -2) { cameFrom[u] = t; queue.push(u); }
    }
  }
  if (goal < 0) return null;
  const course: LonLat[] = [us[last]];
  for (let t = goal; cameFrom[t] >= 0; t = cameFrom[t]) {
    const shared = [0, 1, 2].map((k) => triangles[3 * t + k]).filter((v) => [0, 1, 2].some((k) => triangles[3 * cameFrom[t] + k] === v));
    const [p, q] = [ring[shared[0]], ring[shared[1]]];
    course.push([round7((p[0] + q[0]) / 2), round7((p[1] + q[1]) / 2)]);
  }
  course.push(us[0]);
  return course.reverse();
}
