// Finds where the U.S. and Mexican source polygons share edges (the boundary both agree on) and strings
// those edges into chains from the Pacific to the Gulf.
import { signedAreaDeg2, type LonLat } from './planar.js';
import type { CountryPolygons } from './source-map.js';

const vertexKey = (p: LonLat) => p[0] + ',' + p[1];

/** A ring walked so that its polygon's interior lies on the left (U.S.) or right (Mexico) of each step. */
interface WalkRing { coords: LonLat[]; positions: Map<string, number> }

/** Orders a ring so that its polygon lies on `side` when walking it (holes run the other way round from outer rings). */
function walkRings(polygons: CountryPolygons, side: 'left' | 'right'): WalkRing[] {
  const walks: WalkRing[] = [];
  for (const polygon of polygons) polygon.forEach((ring, r) => {
    const interiorLeft = (signedAreaDeg2(ring) > 0) !== (r > 0);
    const coords = interiorLeft === (side === 'left') ? ring : [...ring].reverse();
    const positions = new Map<string, number>();
    for (let i = 0; i + 1 < coords.length; i++) positions.set(vertexKey(coords[i]), i);
    walks.push({ coords, positions });
  });
  return walks;
}

/** Directed shared edges "u|v" → [u, v]: the U.S. polygon on the left, Mexico's on the right. */
function sharedEdges(usWalks: WalkRing[], mxWalks: WalkRing[]): Map<string, [LonLat, LonLat]> {
  const mxEdges = new Set<string>();
  for (const { coords } of mxWalks) for (let i = 0; i + 1 < coords.length; i++) mxEdges.add(vertexKey(coords[i]) + '|' + vertexKey(coords[i + 1]));
  const shared = new Map<string, [LonLat, LonLat]>();
  for (const { coords } of usWalks) for (let i = 0; i + 1 < coords.length; i++) {
    const key = vertexKey(coords[i]) + '|' + vertexKey(coords[i + 1]);
    if (mxEdges.has(key)) shared.set(key, [coords[i], coords[i + 1]]);
  }
  return shared;
}

/** Maximal paths of shared edges. A vertex where chains branch or a closed loop is reported and skipped. */
function chains(shared: Map<string, [LonLat, LonLat]>): LonLat[][] {
  const outgoing = new Map<string, [LonLat, LonLat][]>();
  const incoming = new Set<string>();
  for (const edge of shared.values()) {
    const from = vertexKey(edge[0]);
    outgoing.set(from, [...(outgoing.get(from) ?? []), edge]);
    incoming.add(vertexKey(edge[1]));
  }
  for (const [vertex, edges] of outgoing) if (edges.length > 1) throw new Error(`shared edges branch at ${vertex}`);
  const result: LonLat[][] = [];
  for (const [start, edges] of outgoing) {
    if (incoming.has(start)) continue;
    const chain: LonLat[] = [edges[0][0]];
    for (let next = edges[0]; next; next = outgoing.get(vertexKey(next[1]))?.[0]!) {
      chain.push(next[1]);
      if (chain.length > shared.size + 1) throw new Error(`shared edges from ${start} loop`);
    }
    result.push(chain);
  }
  return result;
}

function nearlyAt(p: LonLat, lon: number, lat: number): boolean {
  return Math.abs(p[0] - lon) < 0.1 && Math.abs(p[1] - lat) < 0.1;
}

/** The U.S. mainland polygon's edge from Playas de Tijuana to the Rio Grande mouth, west to east, gaps and all. */
export function usMainlandBorder(us: CountryPolygons, mx: CountryPolygons): LonLat[] {
  const usWalks = walkRings(us, 'left');
  const shared = sharedEdges(usWalks, walkRings(mx, 'right'));
  const counts = usWalks.map(({ coords }) => coords.filter((p, i) => i + 1 < coords.length && shared.has(vertexKey(p) + '|' + vertexKey(coords[i + 1]))).length);
  const { coords } = usWalks[counts.indexOf(Math.max(...counts))];
  const isShared = (i: number) => shared.has(vertexKey(coords[i]) + '|' + vertexKey(coords[i + 1]));
  const west = coords.findIndex((_, i) => i + 1 < coords.length && nearlyAt(coords[i], -117.12, 32.53) && isShared(i));
  let east = west;
  for (let i = west; i + 1 < coords.length; i++) if (isShared(i)) east = i + 1;
  if (west < 0 || !nearlyAt(coords[east], -97.15, 25.96)) throw new Error('the shared edges do not run from Playas de Tijuana to the Rio Grande mouth');
  return coords.slice(west, east + 1);
}

/**
 * The one chain of edges the two countries' polygons share exactly, west to east with the United States on
 * the left. Throws unless the shared edges make exactly one unbranched chain (the maritime polygons meet along
 * the whole boundary, from the territorial sea's limit in the Pacific to its limit in the Gulf).
 */
export function sharedChain(us: CountryPolygons, mx: CountryPolygons): LonLat[] {
  const found = chains(sharedEdges(walkRings(us, 'left'), walkRings(mx, 'right')));
  if (found.length !== 1) throw new Error(`the polygons share ${found.length} chains of edges, not one: the line would have gaps`);
  const chain = found[0];
  return chain[0][0] < chain[chain.length - 1][0] ? chain : [...chain].reverse();
}
