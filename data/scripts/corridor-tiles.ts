// Cuts the U.S. and Mexican polygons into square tiles covering a corridor along the boundary,
// so that a point-in-polygon test looks at one small piece instead of a 70,000-vertex country.
import polygonClipping, { type MultiPolygon } from 'polygon-clipping';
import type { Feature, MultiPolygon as GeoMultiPolygon } from 'geojson';
import { approxSegmentDistanceM, metresPerDegree, type LonLat } from './planar.js';
import type { CountryPolygons } from './source-map.js';

export interface TileGrid {
  originLon: number;
  originLat: number;
  tileDeg: number;
  columns: number;
  rows: number;
}

export type TerritoryPiece = Feature<GeoMultiPolygon, { territory: 'US' | 'MX' }>;

/** Keys "column,row" of the tiles that come within `corridorM` of the path. */
export function corridorTiles(grid: TileGrid, path: LonLat[], corridorM: number): Set<string> {
  const tiles = new Set<string>();
  for (let column = 0; column < grid.columns; column++) {
    for (let row = 0; row < grid.rows; row++) {
      const centre: LonLat = [grid.originLon + (column + 0.5) * grid.tileDeg, grid.originLat + (row + 0.5) * grid.tileDeg];
      const { lonM, latM } = metresPerDegree(centre[1]);
      const reachM = corridorM + (Math.hypot(lonM, latM) * grid.tileDeg) / 2;
      const reachDeg = reachM / Math.min(lonM, latM);
      for (let i = 0; i + 1 < path.length; i++) {
        const a = path[i], b = path[i + 1];
        if (Math.min(a[0], b[0]) - reachDeg > centre[0] || Math.max(a[0], b[0]) + reachDeg < centre[0]) continue;
        if (Math.min(a[1], b[1]) - reachDeg > centre[1] || Math.max(a[1], b[1]) + reachDeg < centre[1]) continue;
        if (approxSegmentDistanceM(centre, a, b) <= reachM) { tiles.add(column + ',' + row); break; }
      }
    }
  }
  return tiles;
}

function boxPolygon(grid: TileGrid, c0: number, r0: number, c1: number, r1: number): LonLat[][] {
  const w = grid.originLon + c0 * grid.tileDeg, e = grid.originLon + c1 * grid.tileDeg;
  const s = grid.originLat + r0 * grid.tileDeg, n = grid.originLat + r1 * grid.tileDeg;
  return [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
}

/**
 * Clips `country` to every corridor tile, halving the box each step so that each clip sees only
 * what the previous one kept (clipping a whole country per tile would take minutes).
 */
function clipToTiles(country: MultiPolygon, grid: TileGrid, tiles: Set<string>, territory: 'US' | 'MX', out: TerritoryPiece[]): void {
  const visit = (geometry: MultiPolygon, c0: number, r0: number, c1: number, r1: number): void => {
    let any = false;
    for (let c = c0; c < c1 && !any; c++) for (let r = r0; r < r1 && !any; r++) any = tiles.has(c + ',' + r);
    if (!any) return;
    const clipped = polygonClipping.intersection(geometry, boxPolygon(grid, c0, r0, c1, r1) as MultiPolygon[number]);
    if (clipped.length === 0) return;
    if (c1 - c0 === 1 && r1 - r0 === 1) {
      out.push({ type: 'Feature', properties: { territory }, geometry: { type: 'MultiPolygon', coordinates: clipped } });
    } else if (c1 - c0 >= r1 - r0) {
      const mid = (c0 + c1) >> 1;
      visit(clipped, c0, r0, mid, r1);
      visit(clipped, mid, r0, c1, r1);
    } else {
      const mid = (r0 + r1) >> 1;
      visit(clipped, c0, r0, c1, mid);
      visit(clipped, c0, mid, c1, r1);
    }
  };
  visit(country, 0, 0, grid.columns, grid.rows);
}

/** Both countries cut into corridor tiles, each piece a Feature with its `territory`. */
export function territoryPieces(us: CountryPolygons, mx: CountryPolygons, grid: TileGrid, tiles: Set<string>): TerritoryPiece[] {
  const pieces: TerritoryPiece[] = [];
  clipToTiles(us as MultiPolygon, grid, tiles, 'US', pieces);
  clipToTiles(mx as MultiPolygon, grid, tiles, 'MX', pieces);
  return pieces;
}
