// Rebuilds data/us-mx-boundary.geojson (the default boundary) and the corridor test fixture
// from OpenStreetMap-derived country polygons. Run with `npm run data:boundary`; not part of CI.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { borderPieces, usMainlandBorder, type BorderPiece } from './border-path.js';
import { corridorTiles, territoryPieces, type TileGrid } from './corridor-tiles.js';
import { GapResolver, type GapMethod } from './gap-resolution.js';
import { pathLengthM, type LonLat } from './planar.js';
import { LineSides, sidePoints, wrongSide } from './side-check.js';
import { fetchSourceMap, readCountries, SOURCE_PACKAGE, SOURCE_VERSION } from './source-map.js';
import { TerritoryIndex, type CorridorCollection } from './territory-index.js';
import { boundaryCollection, corridorJson, sampleCrossings } from './boundary-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Half-width of the corridor the fixture covers, metres: 60 km plus room for the gap resolutions. */
const CORRIDOR_M = 65_000;
const GRID: TileGrid = { originLon: -118.5, originLat: 24.5, tileDeg: 0.25, columns: 92, rows: 40 };
const REGION: [number, number, number, number] = [GRID.originLon, GRID.originLat, -95.5, 34.5];

export interface GapSummary { count: number; lengthM: number }
export interface BuildReport {
  totalLengthM: number;
  sharedLengthM: number;
  sharedChains: number;
  gaps: Record<GapMethod, GapSummary>;
  /** Gaps where no one U.S. ring, or no one Mexican ring, runs between the two shared vertices. */
  gapsWithoutUsEdge: number;
  gapsWithoutMexicanEdge: number;
  vertices: number;
  gapList: GapRecord[];
}

export interface GapRecord { from: LonLat; to: LonLat; method: GapMethod; lengthM: number; usLengthM: number | null; mxLengthM: number | null }

function joinPaths(paths: LonLat[][]): LonLat[] {
  const out: LonLat[] = [];
  for (const path of paths) out.push(...(out.length ? path.slice(1) : path));
  return out;
}

/** The line with every gap crossed by a straight bridge: the reference each gap's choice is measured against. */
function bridgedLine(pieces: BorderPiece[]): LonLat[] {
  return joinPaths(pieces.map((p) => (p.kind === 'shared' ? p.coords : [p.from, p.to])));
}

function resolveLine(pieces: BorderPiece[], resolver: GapResolver): { line: LonLat[]; report: BuildReport } {
  const gaps: Record<GapMethod, GapSummary> = {
    'middle course': { count: 0, lengthM: 0 }, 'halfway course': { count: 0, lengthM: 0 }, 'Mexican edge': { count: 0, lengthM: 0 },
    'U.S. edge': { count: 0, lengthM: 0 }, 'straight bridge': { count: 0, lengthM: 0 },
  };
  let sharedLengthM = 0, sharedChains = 0, gapsWithoutUsEdge = 0, gapsWithoutMexicanEdge = 0;
  const gapList: GapRecord[] = [];
  const paths = pieces.map((piece) => {
    if (piece.kind === 'shared') { sharedChains++; sharedLengthM += pathLengthM(piece.coords); return piece.coords; }
    if (!piece.us) gapsWithoutUsEdge++;
    if (!piece.mx) gapsWithoutMexicanEdge++;
    const resolution = resolver.resolve(piece.from, piece.to, piece.us, piece.mx);
    const lengthM = pathLengthM(resolution.coords);
    gaps[resolution.method].count++;
    gaps[resolution.method].lengthM += lengthM;
    gapList.push({ from: piece.from, to: piece.to, method: resolution.method, lengthM, usLengthM: resolution.usLengthM, mxLengthM: resolution.mxLengthM });
    return resolution.coords;
  });
  const line = joinPaths(paths);
  const report = { totalLengthM: pathLengthM(line), sharedLengthM, sharedChains, gaps, gapsWithoutUsEdge, gapsWithoutMexicanEdge, vertices: line.length, gapList };
  return { line, report };
}

function printReport(report: BuildReport, line: LonLat[]): void {
  const km = (m: number) => (m / 1000).toFixed(2) + ' km';
  console.log(`boundary: ${report.vertices} vertices, ${km(report.totalLengthM)} in all`);
  console.log(`  shared edges (both polygons, exactly): ${km(report.sharedLengthM)}`);
  for (const [method, { count, lengthM }] of Object.entries(report.gaps)) console.log(`  gaps resolved by ${method}: ${count}, ${km(lengthM)}`);
  console.log(`  shared chains: ${report.sharedChains}; gaps with no single U.S. ring edge: ${report.gapsWithoutUsEdge}, with no single Mexican ring edge: ${report.gapsWithoutMexicanEdge}`);
  for (const gap of report.gapList) {
    const edges = `U.S. edge ${gap.usLengthM === null ? 'none' : gap.usLengthM.toFixed(0) + ' m'}, Mexican edge ${gap.mxLengthM === null ? 'none' : gap.mxLengthM.toFixed(0) + ' m'}`;
    console.log(`  gap ${gap.from[1]},${gap.from[0]} → ${gap.to[1]},${gap.to[0]}: ${edges}; ${gap.method}, ${gap.lengthM.toFixed(0)} m`);
  }
  const sides = new LineSides(line);
  for (const sample of sampleCrossings(line)) {
    const crossings = sample.latitudes.map((lat) => lat.toFixed(5)).join(', ');
    const side = sides.isRight(sample.lon, sample.probeLat) ? 'MX' : 'US';
    console.log(`  ${sample.place}: line crosses ${sample.lon} at latitude ${crossings}; ${sample.probeLat},${sample.lon} is on the ${side} side`);
  }
}

function main(): void {
  const mapFile = fetchSourceMap(join(root, '.cache'));
  const { us, mx } = readCountries(mapFile, REGION);
  const pieces = borderPieces(us, mx);
  const tiles = corridorTiles(GRID, usMainlandBorder(us, mx), CORRIDOR_M);
  const corridor: CorridorCollection = {
    type: 'FeatureCollection', grid: GRID, corridorTiles: [...tiles].sort(), features: territoryPieces(us, mx, GRID, tiles),
  };
  const index = new TerritoryIndex(corridor);
  const oneCountry = sidePoints(us, mx, index);
  const { line, report } = resolveLine(pieces, new GapResolver(us, mx, index, oneCountry.points, new LineSides(bridgedLine(pieces))));
  printReport(report, line);
  const wrong = wrongSide(line, oneCountry.points);
  console.log(`side check: points just off both sides of every source edge in the corridor: ${oneCountry.points.length} in one polygon only, ` +
    `${oneCountry.neither} in neither, ${oneCountry.both} in both; ${wrong.length} on the wrong side`);
  for (const p of wrong.slice(0, 20)) console.log(`  wrong side: ${p.territory}-only land at ${p.lat},${p.lon}`);
  if (wrong.length > 0) { process.exitCode = 1; return; }
  const source = `${SOURCE_PACKAGE}@${SOURCE_VERSION}`;
  writeFileSync(join(root, 'data', 'us-mx-boundary.geojson'), JSON.stringify(boundaryCollection(line, report, source), null, 1).replace(/\[\n\s+(-?[\d.]+),\n\s+(-?[\d.]+)\n\s+\]/g, '[$1,$2]') + '\n');
  writeFileSync(join(root, 'test', 'fixtures', 'us-mx-corridor.geojson'), corridorJson(corridor, source));
  console.log(`wrote data/us-mx-boundary.geojson and test/fixtures/us-mx-corridor.geojson (${corridor.features.length} pieces in ${tiles.size} tiles)`);
}

main();
