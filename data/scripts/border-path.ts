// Finds where the U.S. and Mexican source polygons share edges, and the stretches between
// (gaps) where they do not, along the U.S. polygon from the Gulf of Mexico to the Pacific.
import type { LonLat } from './planar.js';
import type { CountryPolygons } from './source-map.js';

/** A stretch of the boundary, in west-to-east order. */
export type BorderPiece =
  | { kind: 'shared'; coords: LonLat[] }
  /** us: the U.S. polygon's edge; mx: the Mexican polygon's edge between the same two shared vertices, or null when they lie on different Mexican polygons. */
  | { kind: 'gap'; us: LonLat[]; mx: LonLat[] | null };

const vertexKey = (p: LonLat) => p[0] + ',' + p[1];
const edgeKey = (a: LonLat, b: LonLat) => vertexKey(a) + '|' + vertexKey(b);

interface MxEdge { ring: LonLat[]; index: number }

function mexicanEdges(mx: CountryPolygons): Map<string, MxEdge> {
  const edges = new Map<string, MxEdge>();
  for (const polygon of mx) for (const ring of polygon) {
    for (let i = 0; i + 1 < ring.length; i++) edges.set(edgeKey(ring[i], ring[i + 1]), { ring, index: i });
  }
  return edges;
}

/** For each edge of `ring`, the Mexican edge it shares (walked the other way round), or undefined. */
function sharedEdges(ring: LonLat[], mxEdges: Map<string, MxEdge>): (MxEdge | undefined)[] {
  const shared: (MxEdge | undefined)[] = [];
  for (let i = 0; i + 1 < ring.length; i++) shared.push(mxEdges.get(edgeKey(ring[i + 1], ring[i])));
  return shared;
}

/** The Mexican ring's path from ring[from] forward to ring[to], across the ring's closing vertex if need be. */
function ringPath(ring: LonLat[], from: number, to: number): LonLat[] {
  if (from <= to) return ring.slice(from, to + 1);
  return [...ring.slice(from, ring.length - 1), ...ring.slice(0, to + 1)];
}

function nearlyAt(p: LonLat, lon: number, lat: number): boolean {
  return Math.abs(p[0] - lon) < 0.1 && Math.abs(p[1] - lat) < 0.1;
}

/**
 * Splits the U.S. polygon's border stretch into shared and gap pieces, west to east.
 * The U.S. outer ring runs clockwise in the source, so along the border it goes east to west.
 */
export function borderPieces(us: CountryPolygons, mx: CountryPolygons): BorderPiece[] {
  const mxEdges = mexicanEdges(mx);
  const rings = us.map((polygon) => polygon[0]);
  const counts = rings.map((ring) => sharedEdges(ring, mxEdges).filter(Boolean).length);
  const ring = rings[counts.indexOf(Math.max(...counts))];
  const shared = sharedEdges(ring, mxEdges);
  const first = shared.findIndex(Boolean);
  const last = shared.findLastIndex(Boolean);
  if (!nearlyAt(ring[first], -97.15, 25.96) || !nearlyAt(ring[last + 1], -117.12, 32.53)) {
    throw new Error(`shared edges run from ${ring[first]} to ${ring[last + 1]}, not from the Rio Grande mouth to Playas de Tijuana`);
  }
  const pieces: BorderPiece[] = [];
  for (let i = first; i <= last;) {
    let j = i;
    if (shared[i]) {
      while (j <= last && shared[j]) j++;
      pieces.push({ kind: 'shared', coords: ring.slice(i, j + 1).reverse() });
    } else {
      while (!shared[j]) j++;
      const east = shared[i - 1]!, west = shared[j]!;
      // The Mexican ring walks the border west to east: from ring[j] (its west.index + 1) to ring[i] (its east.index).
      const mxPath = east.ring === west.ring ? ringPath(east.ring, west.index + 1, east.index) : null;
      pieces.push({ kind: 'gap', us: ring.slice(i, j + 1).reverse(), mx: mxPath });
    }
    i = j;
  }
  return pieces.reverse();
}
