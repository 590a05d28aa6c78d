import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LineString, MultiLineString } from 'geojson';
import { PNG_BYTES, TEXT_FIXTURES } from '../../test/helpers/layer-fixtures.js';
import { loadLayerFile } from './node.js';
import { expectLayerError } from '../../test/helpers/layer-errors.js';

const fixture = (name: string) => join(TEXT_FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'lindero-gpx-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
function gpxFile(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `<?xml version="1.0"?>\n<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" creator="test">\n${body}\n</gpx>`);
  return path;
}

describe('GPX layers', () => {
  it('a track and a route become named fence lines, with elevation; a waypoint stays a point', async () => {
    const layer = await loadLayerFile(fixture('fences.gpx'), { role: 'fence' });
    assert.deepEqual(layer.features.map((f) => [f.properties?.name, f.geometry.type]), [
      ['Sunland Park fence', 'LineString'], ['Vehicle barrier west', 'LineString'], ['Port of entry', 'Point'],
    ]);
    assert.deepEqual((layer.features[0].geometry as LineString).coordinates[1], [-106.56, 31.7845, 1151.5]);
    assert.deepEqual((layer.features[1].geometry as LineString).coordinates, [[-107.9, 31.7838], [-107.6, 31.7838]]);
  });

  it('a GPX 1.0 track is read', async () => {
    const layer = await loadLayerFile(fixture('fences-gpx10.gpx'));
    assert.equal(layer.features[0].properties?.name, 'Sunland Park fence');
    assert.equal((layer.features[0].geometry as LineString).coordinates.length, 3);
  });

  it('left/right/edges/provenance in a track\'s <extensions> become properties; two segments make a MultiLineString', async () => {
    const layer = await loadLayerFile(fixture('boundary.gpx'), { role: 'boundary' });
    const [track] = layer.features;
    assert.equal(track.properties?.left, 'US');
    assert.equal(track.properties?.right, 'MX');
    assert.equal(track.properties?.edges, 'lonlat');
    assert.equal(track.properties?.provenance, 'test fixture');
    assert.equal(track.properties?.lindero_left, undefined, 'no duplicate under the prefixed name');
    assert.equal((track.geometry as MultiLineString).coordinates.length, 2);
  });

  it('GDAL-style <extensions> (ogr:illustrative) on a route are read', async () => {
    const path = gpxFile('ogr.gpx', '<rte><name>Barrier</name><extensions><ogr:illustrative xmlns:ogr="http://osgeo.org/gdal">true</ogr:illustrative></extensions><rtept lat="31.78" lon="-107.9"/><rtept lat="31.78" lon="-107.6"/></rte>');
    assert.equal((await loadLayerFile(path)).features[0].properties?.illustrative, true);
  });

  it('swapped latitude and longitude are refused with the line of the point', async () => {
    await expectLayerError(() => loadLayerFile(fixture('swapped-coordinates.gpx')), { code: 'layer-coordinates', line: 5, field: 'trkpt', message: /may be swapped/ });
  });

  it('a point with a missing or non-numeric lat is refused rather than skipped', async () => {
    await expectLayerError(() => loadLayerFile(gpxFile('no-lat.gpx', '<trk><trkseg>\n<trkpt lon="-106.6"/>\n<trkpt lat="31.78" lon="-106.5"/></trkseg></trk>')), {
      code: 'layer-coordinates', line: 4, field: 'lat', message: /missing/,
    });
    await expectLayerError(() => loadLayerFile(gpxFile('nan.gpx', '<wpt lat="NaN" lon="-106.6"/>')), { code: 'layer-coordinates', line: 3, field: 'lat' });
  });

  it('a track segment of a single point (a lost fix) draws no line: left out and said; alone, the layer is empty', async () => {
    const path = gpxFile('single.gpx', '<trk><name>t</name>\n<trkseg><trkpt lat="31.78" lon="-106.6"/></trkseg>\n<trkseg><trkpt lat="31.78" lon="-106.6"/><trkpt lat="31.79" lon="-106.5"/></trkseg></trk>');
    const layer = await loadLayerFile(path);
    assert.deepEqual(layer.features.map((f) => f.geometry), [{ type: 'LineString', coordinates: [[-106.6, 31.78], [-106.5, 31.79]] }]);
    assert.match(layer.notes?.[0] ?? '', /single\.gpx: 1 track segment or route of a single point \(no line\) left out, at line 4$/);
    const alone = gpxFile('alone.gpx', '<trk><name>t</name>\n<trkseg><trkpt lat="31.78" lon="-106.6"/></trkseg></trk>');
    await expectLayerError(() => loadLayerFile(alone), { code: 'layer-empty', message: /single points, which draw no line/ });
  });

  it('empty tracks are skipped and a file with nothing else is refused as empty', async () => {
    await expectLayerError(() => loadLayerFile(gpxFile('empty.gpx', '<trk><name>nothing</name><trkseg></trkseg></trk>')), { code: 'layer-empty' });
  });

  it('XXE in a GPX file is refused before parsing', async () => {
    await expectLayerError(() => loadLayerFile(fixture('xxe.gpx')), { code: 'layer-hostile', line: 2 });
  });

  it('entity expansion (billion laughs) in a GPX file is refused before parsing', async () => {
    const path = join(scratch, 'laughs.gpx');
    writeFileSync(path, '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<gpx version="1.1"><wpt lat="1" lon="1"><name>&b;</name></wpt></gpx>');
    await expectLayerError(() => loadLayerFile(path), { code: 'layer-hostile', line: 2 });
  });

  it('a truncated GPX file is a syntax error; an empty one and a PNG renamed .gpx are refused', async () => {
    const truncated = join(scratch, 'truncated.gpx');
    writeFileSync(truncated, '<?xml version="1.0"?>\n<gpx version="1.1"><trk><name>Sunland Park fence</name><trkseg>\n<trkpt lat="31.7843" lon="-106.6"/><trkpt lat="31.78');
    await expectLayerError(() => loadLayerFile(truncated), { code: 'layer-syntax' });
    const empty = join(scratch, 'empty-file.gpx');
    writeFileSync(empty, '');
    await expectLayerError(() => loadLayerFile(empty), { code: 'layer-empty' });
    const picture = join(scratch, 'picture.gpx');
    writeFileSync(picture, PNG_BYTES);
    await expectLayerError(() => loadLayerFile(picture), { code: 'layer-format', message: /PNG/ });
  });

  it('a mismatched closing tag is reported at the element left open', async () => {
    await expectLayerError(() => loadLayerFile(gpxFile('broken.gpx', '<trk>\n<trkseg>\n</trk>')), { code: 'layer-syntax', line: 4, message: /mismatch/i });
  });
});
