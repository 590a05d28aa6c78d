// Rebuilds data/us-mx-boundary.geojson (the default boundary and the two territories) and the corridor test
// fixture from OpenStreetMap-derived country polygons. Run with `npm run data:boundary`; not part of CI.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedChain } from './border-path.js';
import { corridorTiles, territoryPieces, type TileGrid } from './corridor-tiles.js';
import { pathLengthM } from './planar.js';
import { CountryRegion, seamCheck } from './seam-check.js';
import { sidePoints, wrongSide } from './side-check.js';
import { fetchSourceMap, LAND_PACKAGE, MARITIME_PACKAGE, readCountries, SOURCE_VERSION } from './source-map.js';
import { TerritoryIndex, type CorridorCollection } from './territory-index.js';
import { boundaryCollection, corridorJson, sampleCrossings, shippedJson } from './boundary-output.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Half-width of the corridor the fixture covers, metres: 60 km plus a margin. */
const CORRIDOR_M = 65_000;
const GRID: TileGrid = { originLon: -118.5, originLat: 24.5, tileDeg: 0.25, columns: 92, rows: 40 };
const REGION: [number, number, number, number] = [GRID.originLon, GRID.originLat, -95.5, 34.5];

function main(): void {
  const cache = join(root, '.cache');
  const maritime = readCountries(fetchSourceMap(cache, MARITIME_PACKAGE));
  const line = sharedChain(maritime.us, maritime.mx);
  const km = (m: number) => (m / 1000).toFixed(2) + ' km';
  console.log(`boundary: the edges the two maritime polygons share, ${line.length} vertices, ${km(pathLengthM(line))}, ` +
    `from ${line[0][1]},${line[0][0]} (Pacific) to ${line[line.length - 1][1]},${line[line.length - 1][0]} (Gulf of Mexico)`);

  // The seam: near the line the line decides, elsewhere the polygons. They agree because the line is their
  // shared edge; this proves the rest of that claim on the data: the polygons never overlap, and just off
  // every segment of the line the left is the United States' polygon only and the right Mexico's only.
  const us = new CountryRegion(maritime.us), mx = new CountryRegion(maritime.mx);
  const seam = seamCheck(line, us, mx);
  console.log(`seam: points just off both sides of every polygon edge: ${seam.edgePoints} tested, ${seam.overlaps} in both polygons; ` +
    `points just off both sides of every line segment: ${seam.linePoints} tested, ${seam.lineWrong} not in the polygon of their side alone`);
  if (seam.overlaps > 0 || seam.lineWrong > 0) { process.exitCode = 1; return; }

  // The corridor fixture: the same polygons near the line, for the agreement test of classify() against them.
  const near = readCountries(fetchSourceMap(cache, MARITIME_PACKAGE), REGION);
  const tiles = corridorTiles(GRID, line, CORRIDOR_M);
  const corridor: CorridorCollection = {
    type: 'FeatureCollection', grid: GRID, corridorTiles: [...tiles].sort(), features: territoryPieces(near.us, near.mx, GRID, tiles),
  };

  // The land polygons (coastline cut out) are a second reading of the same source: report where they put land
  // on the other side of the line (at the Rio Grande's mouth, where the river has moved since the border was mapped).
  const land = readCountries(fetchSourceMap(cache, LAND_PACKAGE), REGION);
  const landCorridor: CorridorCollection = { ...corridor, features: territoryPieces(land.us, land.mx, GRID, tiles) };
  const oneCountry = sidePoints(land.us, land.mx, new TerritoryIndex(landCorridor));
  const wrong = wrongSide(line, oneCountry.points);
  console.log(`land polygons: points just off both sides of every land-polygon edge in the corridor: ${oneCountry.points.length} in one land polygon only, ` +
    `${oneCountry.neither} in neither, ${oneCountry.both} in both; ${wrong.length} on the other side of the line`);
  for (const p of wrong) console.log(`  ${p.territory}-only land at ${p.lat.toFixed(5)},${p.lon.toFixed(5)}`);
  for (const sample of sampleCrossings(line)) console.log(`  ${sample.place}: line crosses ${sample.lon} at latitude ${sample.latitudes.map((l) => l.toFixed(5)).join(', ')}`);

  const collection = boundaryCollection(line, maritime, `${MARITIME_PACKAGE}@${SOURCE_VERSION}`);
  writeFileSync(join(root, 'data', 'us-mx-boundary.geojson'), shippedJson(collection));
  writeFileSync(join(root, 'test', 'fixtures', 'us-mx-corridor.geojson'), corridorJson(corridor, `${MARITIME_PACKAGE}@${SOURCE_VERSION}`));
  console.log(`wrote data/us-mx-boundary.geojson and test/fixtures/us-mx-corridor.geojson (${corridor.features.length} pieces in ${tiles.size} tiles)`);
}

main();
