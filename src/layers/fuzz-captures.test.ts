// Other people's layer files, damaged at random (seeded): every one is either read or refused with a
// LinderoError naming the file, never another kind of error, in bounded time. The coordinate-system reader
// gets the same treatment on real .prj text.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mutate } from '../../test/helpers/damage.js';
import { seeded } from '../../test/helpers/geodesic-oracle.js';
import { LinderoError } from '../model/index.js';
import { readWktCrs } from './crs.js';
import { loadLayerFile } from './node.js';

const captures = (path: string) => fileURLToPath(new URL(`../../test/fixtures/layers/captures/${path}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'lindero-layer-fuzz-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function readOrRefused(path: string): Promise<'read' | 'refused'> {
  try {
    await loadLayerFile(path);
    return 'read';
  } catch (e) {
    assert.ok(e instanceof LinderoError, `${basename(path)}: ${(e as Error).stack}`);
    assert.ok(e.place.file, `${basename(path)}: the error names no file: ${e.message}`);
    return 'refused';
  }
}

describe('damaged real layer files', () => {
  // Each shapefile's parts are damaged one at a time, the others left whole.
  const shapefiles = ['mbostock-shapefile/polylines', 'mbostock-shapefile/polygons', 'mbostock-shapefile/null', 'shapefile-js/ipra_dresden_polygon', 'shapefile-js/utf', 'shapefile-js/LGA_2013_AUST'];
  for (const stem of shapefiles) {
    it(`${stem}: 150 damaged copies of its .shp, .dbf, .prj or .cpg are each read or refused with the file named`, async () => {
      const rnd = seeded(stem.length * 7919);
      const dir = mkdtempSync(join(scratch, 'shp-'));
      const name = basename(stem);
      const parts = ['.shp', '.shx', '.dbf', '.prj', '.cpg'].filter((ext) => {
        try {
          copyFileSync(captures(stem + ext), join(dir, name + ext));
          return true;
        } catch {
          return false;
        }
      });
      const outcomes = { read: 0, refused: 0 };
      for (let i = 0; i < 150; i++) {
        const ext = parts.filter((p) => p !== '.shx')[Math.floor(rnd() * (parts.length - 1))];
        const whole = readFileSync(captures(stem + ext));
        writeFileSync(join(dir, name + ext), mutate(whole, rnd));
        outcomes[await readOrRefused(join(dir, `${name}.shp`))]++;
        writeFileSync(join(dir, name + ext), whole);
      }
      assert.ok(outcomes.refused > 0, JSON.stringify(outcomes));
    });
  }

  for (const file of ['shapefile-js/train_stations.zip', 'shapefile-js/T8Th4_6n.zip', 'togeojson-osm.gpx', 'togeojson-multigeometry.kml', 'togeojson-gdal.gpx']) {
    it(`${file}: 150 damaged copies are each read or refused with the file named`, async () => {
      const rnd = seeded(file.length * 104729);
      const whole = readFileSync(captures(file));
      const path = join(scratch, basename(file));
      const outcomes = { read: 0, refused: 0 };
      for (let i = 0; i < 150; i++) {
        writeFileSync(path, mutate(whole, rnd));
        outcomes[await readOrRefused(path)]++;
      }
      assert.ok(outcomes.refused > 0, JSON.stringify(outcomes));
    });
  }

  it('the coordinate-system reader gives a verdict, never an exception, on 2,000 damaged real .prj texts', () => {
    const rnd = seeded(4283);
    const texts = ['shapefile-js/senate.prj', 'shapefile-js/train_stations.prj', 'shapefile-js/LGA_2013_AUST.prj', 'shapefile-js/ipra_dresden_polygon.prj'].map((f) => readFileSync(captures(f)));
    let accepted = 0;
    for (let i = 0; i < 2_000; i++) {
      const text = new TextDecoder().decode(mutate(texts[i % texts.length], rnd));
      const verdict = readWktCrs(text);
      if ('crs' in verdict) {
        accepted++;
        // A system it accepts either leaves coordinates as they are or converts them to numbers.
        if (verdict.crs.toLonLat) assert.equal(verdict.crs.toLonLat(236_000, 900_000).length, 2);
      } else {
        assert.equal(typeof verdict.refused, 'string');
      }
    }
    assert.ok(accepted > 0 && accepted < 2_000, String(accepted));
  });
});
