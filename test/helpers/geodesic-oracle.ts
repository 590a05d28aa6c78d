// Brute-force reference answers from GeographicLib, independent of src/geo's search and formulas.
import geodesicLib from 'geographiclib-geodesic';

const geod = geodesicLib.Geodesic.WGS84;

export interface OracleHit {
  distanceM: number;
  lat: number;
  lon: number;
  azimuthDeg: number;
}

/** Minimum of f over [0, 1]: dense sampling, then golden-section search around the best sample. */
function minimise(f: (t: number) => number, samples = 400): number {
  let bestT = 0, best = Infinity;
  for (let i = 0; i <= samples; i++) {
    const t = i / samples;
    const v = f(t);
    if (v < best) { best = v; bestT = t; }
  }
  let lo = Math.max(0, bestT - 1 / samples), hi = Math.min(1, bestT + 1 / samples);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo), d = lo + g * (hi - lo);
  let fc = f(c), fd = f(d);
  for (let k = 0; k < 120; k++) {
    if (fc < fd) { hi = d; d = c; fd = fc; c = hi - g * (hi - lo); fc = f(c); }
    else { lo = c; c = d; fc = fd; d = lo + g * (hi - lo); fd = f(d); }
  }
  const candidates = [bestT, (lo + hi) / 2, 0, 1];
  return candidates.reduce((a, b) => (f(b) < f(a) ? b : a));
}

/** Nearest point of one segment (lon/lat-straight or geodesic) to (lat, lon), by brute force. */
export function oracleSegment(lat: number, lon: number, a: [number, number], b: [number, number], edges: 'lonlat' | 'geodesic'): OracleHit {
  let at: (t: number) => [number, number];
  if (edges === 'lonlat') {
    at = (t) => [a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0])];
  } else {
    const line = geod.InverseLine(a[1], a[0], b[1], b[0]);
    at = (t) => {
      const p = line.Position(t * line.s13);
      return [p.lat2 as number, p.lon2 as number];
    };
  }
  const dist = (t: number) => {
    const [qlat, qlon] = at(t);
    return geod.Inverse(lat, lon, qlat, qlon).s12 as number;
  };
  const t = minimise(dist);
  const [qlat, qlon] = at(t);
  const r = geod.Inverse(lat, lon, qlat, qlon);
  return { distanceM: r.s12 as number, lat: qlat, lon: qlon, azimuthDeg: ((r.azi1 as number) + 360) % 360 };
}

/** Nearest point of a polyline, by brute force over every segment. */
export function oracleLine(lat: number, lon: number, coords: [number, number][], edges: 'lonlat' | 'geodesic'): OracleHit {
  let best: OracleHit | null = null;
  for (let i = 0; i + 1 < coords.length; i++) {
    const h = oracleSegment(lat, lon, coords[i], coords[i + 1], edges);
    if (!best || h.distanceM < best.distanceM) best = h;
  }
  return best as OracleHit;
}

/** The point reached from (lat, lon) along azimuth azi for distanceM. */
export function direct(lat: number, lon: number, azi: number, distanceM: number): { lat: number; lon: number } {
  const r = geod.Direct(lat, lon, azi, distanceM);
  return { lat: r.lat2 as number, lon: r.lon2 as number };
}

export function inverse(lat1: number, lon1: number, lat2: number, lon2: number) {
  return geod.Inverse(lat1, lon1, lat2, lon2);
}

/** Points of a geodesic between a and b every stepM metres (for a polygon that follows a geodesic edge). */
export function densifyGeodesic(a: [number, number], b: [number, number], stepM: number): [number, number][] {
  const line = geod.InverseLine(a[1], a[0], b[1], b[0]);
  const n = Math.max(1, Math.ceil(line.s13 / stepM));
  const out: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const p = line.Position((line.s13 * i) / n);
    out.push([p.lon2 as number, p.lat2 as number]);
  }
  return out;
}

/** Seeded PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
