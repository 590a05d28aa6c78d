import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LineString } from 'geojson';
import { existsSync, readFileSync } from 'node:fs';
import { parseGeoJsonText } from './geojson.js';
import { defaultBoundaryPath, loadDefaultBoundary } from './node.js';

describe('the default boundary', () => {
  it('is found under the package root in data/', () => {
    const path = defaultBoundaryPath();
    assert.match(path, /[/\\]data[/\\]us-mx-boundary\.geojson$/);
    assert.ok(existsSync(path), path);
  });

  it('is one U.S.–Mexico line with the United States on its left, and the two territories, in WGS84 degrees', () => {
    const layer = loadDefaultBoundary();
    assert.equal(layer.features.length, 3);
    const [line, us, mx] = layer.features;
    assert.deepEqual([us.properties?.territory, us.geometry.type, mx.properties?.territory, mx.geometry.type], ['US', 'MultiPolygon', 'MX', 'MultiPolygon']);
    assert.equal(line.properties?.uncertainty_m, 10);
    assert.equal(line.properties?.license, 'ODbL-1.0');
    assert.equal(line.properties?.left, 'US');
    assert.equal(line.properties?.right, 'MX');
    assert.equal(line.geometry.type, 'LineString');
    const coordinates = (line.geometry as LineString).coordinates;
    assert.ok(coordinates.length > 100);
    // The line runs from the territorial sea's limit in the Pacific off Tijuana to its limit in the Gulf off Brownsville.
    const lons = coordinates.map((c) => c[0]);
    assert.ok(Math.min(...lons) < -117.4 && Math.max(...lons) > -97);
  });

  it('passes every check a user-supplied GeoJSON layer gets, and loads to the same features', () => {
    const path = defaultBoundaryPath();
    const checked = parseGeoJsonText(readFileSync(path, 'utf8'), path);
    assert.deepEqual(loadDefaultBoundary(), checked);
  });

  it('resolves the same way whatever the working directory', () => {
    const module = fileURLToPath(new URL('./default.ts', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then((m) => console.log(m.defaultBoundaryPath()))`;
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: '/', encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), defaultBoundaryPath());
  });
});
