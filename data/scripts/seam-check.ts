// Proves on the data that the territory polygons and the line can never disagree: the polygons do not overlap,
// and the line's left and right are the United States' and Mexico's polygons alone, all along it.
import Flatbush from 'flatbush';
import type { LonLat } from './planar.js';
import { insideRing } from './side-check.js';
import type { CountryPolygons } from './source-map.js';

/** Every ring of one country, for point-in-polygon by the even-odd rule over all of them (rings never overlap). */
export class CountryRegion {
  readonly segments: [LonLat, LonLat][] = [];
  private readonly index: Flatbush;

  constructor(readonly polygons: CountryPolygons) {
    for (const polygon of polygons) for (const ring of polygon) for (let i = 0; i + 1 < ring.length; i++) this.segments.push([ring[i], ring[i + 1]]);
    this.index = new Flatbush(this.segments.length);
    for (const [a, b] of this.segments) this.index.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    this.index.finish();
  }

  contains(lon: number, lat: number): boolean {
    return insideRing(this.segments, this.index.search(lon, -90, lon, lat), [lon, lat]);
  }
}

/** The two points 1e-7° either side of the middle of segment ab: [left, right] walking from a to b. */
function beside(a: LonLat, b: LonLat, stepDeg = 1e-7): [LonLat, LonLat] | null {
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (length === 0) return null;
  const midX = (a[0] + b[0]) / 2, midY = (a[1] + b[1]) / 2;
  const nx = (-(b[1] - a[1]) / length) * stepDeg, ny = ((b[0] - a[0]) / length) * stepDeg;
  return [[midX + nx, midY + ny], [midX - nx, midY - ny]];
}

export interface SeamReport { edgePoints: number; overlaps: number; linePoints: number; lineWrong: number }

export function seamCheck(line: LonLat[], us: CountryRegion, mx: CountryRegion): SeamReport {
  const report: SeamReport = { edgePoints: 0, overlaps: 0, linePoints: 0, lineWrong: 0 };
  for (const region of [us, mx]) for (const [a, b] of region.segments) {
    for (const [lon, lat] of beside(a, b) ?? []) {
      report.edgePoints++;
      if (us.contains(lon, lat) && mx.contains(lon, lat)) report.overlaps++;
    }
  }
  for (let i = 0; i + 1 < line.length; i++) {
    const points = beside(line[i], line[i + 1]);
    if (!points) continue;
    const [left, right] = points;
    report.linePoints += 2;
    if (!(us.contains(...left) && !mx.contains(...left))) report.lineWrong++;
    if (!(mx.contains(...right) && !us.contains(...right))) report.lineWrong++;
  }
  return report;
}
