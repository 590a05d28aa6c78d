// Boundary lines from territory polygons: the boundary is the set of edges two territories share.
import { LinderoError } from '../model/index.js';
import type { EdgeMode } from './types.js';
import type { LineInput } from './line-set.js';

export interface TerritoryPolygon {
  territory: string;
  /** Rings of [lon, lat]; the first is the exterior, the rest holes. Closed or not. */
  rings: [number, number][][];
  feature: number;
  edges: EdgeMode;
  /** Positional uncertainty of the polygon's edges, 1-sigma metres. */
  uncertaintyM?: number;
}

interface Occurrence {
  territory: string;
  /** Whether the polygon's interior lies on the left of the edge taken in canonical (key) order. */
  interiorLeft: boolean;
  feature: number;
  edges: EdgeMode;
  uncertaintyM: number;
}

interface SharedEdge {
  a: [number, number];
  b: [number, number];
  left: string;
  right: string;
  edges: EdgeMode;
  uncertaintyM: number;
}

/**
 * Edges shared (same two vertices, exactly) by polygons of two different territories become boundary
 * edges, labelled by which side each polygon's interior is on (from ring orientation), then chained.
 */
export function sharedEdgeLines(polygons: TerritoryPolygon[], file?: string): LineInput[] {
  const byEdge = new Map<string, { a: [number, number]; b: [number, number]; occ: Occurrence[] }>();
  for (const poly of polygons) {
    poly.rings.forEach((ring, r) => {
      const ccw = signedArea(ring) > 0;
      const interiorOnLeftOfRing = r === 0 ? ccw : !ccw;
      const n = ring.length;
      for (let i = 0; i < n; i++) {
        const p = ring[i], q = ring[(i + 1) % n];
        if (p[0] === q[0] && p[1] === q[1]) continue;
        const forward = p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]);
        const a = forward ? p : q, b = forward ? q : p;
        const key = `${a[0]},${a[1]},${b[0]},${b[1]}`;
        let entry = byEdge.get(key);
        if (!entry) byEdge.set(key, (entry = { a, b, occ: [] }));
        entry.occ.push({ territory: poly.territory, interiorLeft: forward === interiorOnLeftOfRing, feature: poly.feature, edges: poly.edges, uncertaintyM: poly.uncertaintyM ?? 0 });
      }
    });
  }
  const shared: SharedEdge[] = [];
  for (const { a, b, occ } of byEdge.values()) {
    const first = occ[0];
    const other = occ.find((o) => o.territory !== first.territory);
    if (!other) continue;
    if (other.interiorLeft === first.interiorLeft) {
      throw new LinderoError('boundary-polygons-overlap',
        `polygons of ${first.territory} (feature ${first.feature}) and ${other.territory} (feature ${other.feature}) lie on the same side of their shared edge ${fmt(a)}–${fmt(b)}: they overlap`,
        { file, feature: other.feature });
    }
    const left = first.interiorLeft ? first.territory : other.territory;
    const right = first.interiorLeft ? other.territory : first.territory;
    // Orient every edge so that the alphabetically first territory is on its left: chains then run one way.
    const uncertaintyM = Math.max(first.uncertaintyM, other.uncertaintyM);
    if (left < right) shared.push({ a, b, left, right, edges: first.edges, uncertaintyM });
    else shared.push({ a: b, b: a, left: right, right: left, edges: first.edges, uncertaintyM });
  }
  if (shared.length === 0) {
    const territories = [...new Set(polygons.map((p) => p.territory))];
    throw new LinderoError('boundary-no-shared-edge',
      territories.length < 2
        ? `the boundary polygons all belong to one territory (${territories.join(', ') || 'none'}): a boundary needs two`
        : `the polygons of ${territories.join(', ')} share no edge (a shared edge must have exactly the same two vertices in both polygons)`,
      { file });
  }
  return chain(shared);
}

function chain(edges: SharedEdge[]): LineInput[] {
  const key = (p: [number, number]) => `${p[0]},${p[1]}`;
  const outgoing = new Map<string, number[]>();
  const inCount = new Map<string, number>();
  edges.forEach((e, i) => {
    const k = key(e.a);
    const list = outgoing.get(k);
    if (list) list.push(i);
    else outgoing.set(k, [i]);
    inCount.set(key(e.b), (inCount.get(key(e.b)) ?? 0) + 1);
  });
  const used = new Uint8Array(edges.length);
  const lines: LineInput[] = [];
  const isChainStart = (e: SharedEdge) => (inCount.get(key(e.a)) ?? 0) !== 1 || (outgoing.get(key(e.a))?.length ?? 0) !== 1;
  const walk = (start: number) => {
    const e0 = edges[start];
    const coords: [number, number][] = [e0.a, e0.b];
    used[start] = 1;
    let current = e0;
    for (;;) {
      const k = key(current.b);
      const outs = outgoing.get(k);
      if (!outs || outs.length !== 1 || (inCount.get(k) ?? 0) !== 1) break;
      const next = outs[0];
      const e = edges[next];
      if (used[next] || e.left !== current.left || e.right !== current.right || e.edges !== current.edges || e.uncertaintyM !== current.uncertaintyM) break;
      used[next] = 1;
      coords.push(e.b);
      current = e;
    }
    lines.push({ name: `${e0.left}–${e0.right} boundary`, coordinates: coords, left: e0.left, right: e0.right, edges: e0.edges, uncertaintyM: e0.uncertaintyM });
  };
  edges.forEach((e, i) => { if (!used[i] && isChainStart(e)) walk(i); });
  edges.forEach((_, i) => { if (!used[i]) walk(i); });
  return lines;
}

/** Shoelace area in lon/lat (positive when counter-clockwise). */
function signedArea(ring: [number, number][]): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const p = ring[i], q = ring[(i + 1) % n];
    sum += (q[0] - p[0]) * (q[1] + p[1]);
  }
  return -sum / 2;
}

function fmt(p: [number, number]): string {
  return `(${p[1]}, ${p[0]})`;
}
