import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess, runProcess } from '../helpers/cli.js';
import { fixtureFeatures, inUtm13n } from '../helpers/layer-fixtures.js';
import { encodeShapefile } from '../helpers/shapefile-writer.js';

// As a device writes it: to the sixth decimal, a point (coarser digits name a square; see below).
const CLINT = '31.560312,-106.223688';

describe('lindero where', () => {
  it('answers in JSON with the contract fields', async () => {
    const r = await runInProcess(['where', CLINT, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(o).sort(), ['accuracy_assumed', 'accuracy_m', 'boundary', 'certain', 'confidence', 'fence', 'lat', 'line_uncertainty_m', 'lon', 'mgrs', 'outside',
      'territory', 'uncertainty_dominant', 'uncertainty_m', 'zone'].sort());
    assert.deepEqual([o.outside, o.accuracy_assumed, o.accuracy_m, o.line_uncertainty_m], [false, true, 20, 10], 'no accuracy given: 20 m assumed; the line known to 10 m');
    assert.deepEqual(o.boundary.between, ['US', 'MX']);
    assert.equal(o.territory, 'US');
    assert.equal(o.certain, true);
    assert.equal(o.fence, null);
    assert.equal(o.zone, 'inland');
    assert.ok(o.boundary.distance_m > 1000 && o.boundary.distance_m < 10000, String(o.boundary.distance_m));
    assert.ok(o.boundary.bearing_deg >= 0 && o.boundary.bearing_deg < 360);
    assert.match(o.mgrs, /^13R[A-Z]{2}\d{10}$/);
  });

  it('the same position in decimal, hemisphere, DMS, MGRS and UTM gives the same territory', async () => {
    const forms = [[CLINT], ['31.560312', '-106.223688'], ['--', '31.560312', '-106.223688'], ['31.560312N', '106.223688W'], [`31°33'37.1"N 106°13'25.3"W`], ['13RCQ8386292349'], ['13R', 'CQ', '83862', '92349'], ['13R 383863 3492349']];
    const distances: number[] = [];
    for (const f of forms) {
      const r = await runInProcess(['where', ...f, '--json']);
      assert.equal(r.code, 0, `${f.join(' ')}: ${r.stderr}`);
      const o = JSON.parse(r.stdout);
      assert.equal(o.territory, 'US', f.join(' '));
      distances.push(o.boundary.distance_m);
    }
    // All forms name the same place to within a few metres (DMS to 0.1″, MGRS/UTM to 1 m).
    assert.ok(Math.max(...distances) - Math.min(...distances) < 5, distances.join(', '));
  });

  it('speaks English by default and Spanish with --lang es', async () => {
    const en = await runInProcess(['where', CLINT]);
    assert.match(en.stdout, /You are in United States territory, .* from the boundary with Mexico/);
    assert.match(en.stdout, /Certain with an assumed ±20 m accuracy \(the position gave none\) and the line's own ±10 m uncertainty\./);
    const stated = await runInProcess(['where', CLINT, '--accuracy', '5']);
    assert.match(stated.stdout, /Certain with ±5 m accuracy and the line's own ±10 m uncertainty, the line's the larger\./);
    const es = await runInProcess(['where', CLINT, '--lang', 'es']);
    assert.match(es.stdout, /Está en territorio de Estados Unidos, a .* del límite con México/);
  });

  it('says plainly when the verdict is not certain at the stated accuracy', async () => {
    const r = await runInProcess(['where', CLINT, '--accuracy', '5000']);
    assert.match(r.stdout, /NOT CERTAIN: with ±5 km accuracy and the line's own ±10 m uncertainty, the chance of being in United States is/);
    const j = JSON.parse((await runInProcess(['where', CLINT, '--accuracy', '5000', '--json'])).stdout);
    assert.equal(j.certain, false);
    assert.ok(j.confidence > 0.5 && j.confidence < 0.997);
  });

  it('an MGRS reference names a square, not a point: its size counts in the certainty, and it comes back at its precision', async () => {
    // The 1 km square 13R CR 73 04 near Clint: its centre is some 200 m north of the line, but the square reaches
    // across it. Its centre written to the metre is another matter.
    const square = JSON.parse((await runInProcess(['where', '13R CR 73 04', '--json'])).stdout);
    const centre = JSON.parse((await runInProcess(['where', '13RCR7350004500', '--json'])).stdout);
    assert.deepEqual([square.territory, centre.territory], ['US', 'US']);
    assert.ok(square.boundary.distance_m > 100 && square.boundary.distance_m < 400, String(square.boundary.distance_m));
    assert.deepEqual([square.square_m, square.mgrs, square.certain], [1000, '13RCR7304', false]);
    assert.ok(square.confidence > 0.5 && square.confidence < 0.95, String(square.confidence));
    assert.ok(Math.abs(square.uncertainty_m - Math.hypot(20, 1000 / Math.sqrt(12), 10)) < 1e-3, String(square.uncertainty_m));
    assert.deepEqual([centre.square_m, centre.mgrs, centre.certain], [1, '13RCR7350004500', true]);
    // The 100 km square CR of zone 13 reaches from band R into band S: its centre's own reference would be 13SCR.
    assert.deepEqual(JSON.parse((await runInProcess(['where', '13r cr', '--json'])).stdout).mgrs, '13RCR');
    const sentence = (await runInProcess(['where', '13R CR 73 04'])).stdout;
    assert.match(sentence, /MGRS 13RCR7304\. NOT CERTAIN: with an assumed ±20 m accuracy \(the position gave none\), the 1 km square it is written to and the line's own ±10 m uncertainty, the chance/);
    assert.match((await runInProcess(['where', '13R CR 73 04', '--lang', 'es'])).stdout, /el cuadrado de 1 km al que está escrita/);
    // A point given in degrees has no square; read from stdin, each line is its own.
    assert.equal(JSON.parse((await runInProcess(['where', CLINT, '--json'])).stdout).square_m, undefined);
    const batch = (await runInProcess(['where', '--json'], '13R CR 73 04\n13RCR7350004500\n')).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(batch, [square, centre]);
  });

  it('digits name a square too: a position rounded to the minute or to 0.01° counts its cell, and is not certain near the line', async () => {
    // 31°45'N 106°29'W, rounded to the minute: some 200 m from the line at its centre, but the cell is 1.85 km by
    // 1.58 km. Its centre written to the sixth decimal is certain.
    const minute = JSON.parse((await runInProcess(['where', `31°45'N 106°29'W`, '--json'])).stdout);
    const centre = JSON.parse((await runInProcess(['where', '31.750000,-106.483333', '--json'])).stdout);
    assert.deepEqual([minute.territory, minute.certain, centre.territory, centre.certain, centre.square_m], ['US', false, 'US', true, undefined]);
    assert.ok(minute.boundary.distance_m > 100 && minute.boundary.distance_m < 300, String(minute.boundary.distance_m));
    assert.ok(minute.square_m > 1840 && minute.square_m < 1860, String(minute.square_m));
    assert.ok(Math.abs(minute.uncertainty_m - Math.hypot(20, minute.square_m / Math.sqrt(12), 10)) < 1e-3, String(minute.uncertainty_m));
    assert.match((await runInProcess(['where', `31°45'N 106°29'W`])).stdout, /NOT CERTAIN: with an assumed ±20 m accuracy \(the position gave none\), the 1\.85 km square it is written to and the line's own ±10 m uncertainty/);
    // The same digits read alike on the command line and from stdin (the batch reads plain decimals apart).
    const typed = JSON.parse((await runInProcess(['where', '31.76,-106.48', '--json'])).stdout);
    const batch = (await runInProcess(['where', '--json'], `31.76,-106.48\n31.7600,-106.4800\n31.760000,-106.480000\n`)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(batch[0], typed);
    assert.ok(typed.square_m > 1100 && typed.square_m < 1120, String(typed.square_m));
    assert.ok(batch[1].square_m > 11 && batch[1].square_m < 11.2, 'trailing zeros count as written: 0.0001°');
    assert.equal(batch[2].square_m, undefined, 'six decimals are a point');
    // An 11 m square beside an assumed ±20 m changes nothing worth reading aloud; beside ±2 m it is named.
    assert.doesNotMatch((await runInProcess(['where', '31.5603,-106.2237'])).stdout, /square/);
    assert.match((await runInProcess(['where', '31.5603,-106.2237', '±2'])).stdout, /Certain with ±2 m accuracy, the 11 m square it is written to and/);
  });

  it('each position may carry its own accuracy ("±8"): it is stated, not assumed, and --accuracy serves the lines without one', async () => {
    const lines = (await runInProcess(['where', '--json', '--accuracy', '30'], `${CLINT} ±8\n${CLINT}\n${CLINT} +/- 5000 m\n`)).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((o) => [o.accuracy_m, o.accuracy_assumed, o.certain]), [[8, false, true], [30, false, true], [5000, false, false]]);
    const none = JSON.parse((await runInProcess(['where', '--json'], `${CLINT}\n`)).stdout);
    assert.deepEqual([none.accuracy_m, none.accuracy_assumed], [20, true]);
    const one = await runInProcess(['where', '31.560312', '-106.223688', '±8']);
    assert.match(one.stdout, /Certain with ±8 m accuracy and the line's own ±10 m uncertainty, the line's the larger\./);
  });

  it('bad input is exit 2 with a message naming what was wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['where', 'not a place'], /position/],
      [['where', '95 10'], /latitude 95/],
      [['where', 'NaN,NaN'], /position/],
      [['where', CLINT, '--accuracy', '-3'], /--accuracy/],
      [['where', CLINT, '--lang', 'fr'], /--lang/],
      [['where', CLINT, '--frobnicate'], /unknown option --frobnicate/],
      [['where', CLINT, '--boundary', '/nonexistent/b.geojson'], /b\.geojson/],
      [['where', 'x'.repeat(100_000)], /position/],
      [['nonsense'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const r = await runInProcess(args);
      assert.equal(r.code, 2, `${args.join(' ').slice(0, 60)} → ${r.code} ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' ').slice(0, 60));
    }
  });

  it('refuses a boundary file with no left/right, naming the file, feature and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-where-'));
    const file = join(dir, 'bad.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US' }, geometry: { type: 'LineString', coordinates: [[-107, 31], [-106, 31]] } }] }));
    const r = await runInProcess(['where', CLINT, '--boundary', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.geojson, feature 0, field 'right'/);
  });

  it('an empty boundary file is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-where-'));
    const file = join(dir, 'empty.geojson');
    writeFileSync(file, '');
    const r = await runInProcess(['where', CLINT, '--boundary', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty\.geojson/);
  });

  it('reads a boundary shapefile in NAD83 / UTM zone 13N: the answer counts the datum, stderr says how it was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-where-'));
    const parts = encodeShapefile(inUtm13n(fixtureFeatures('boundary-lines.geojson')), [{ name: 'LEFT', type: 'C', length: 2 }, { name: 'RIGHT', type: 'C', length: 2 }, { name: 'NAME', type: 'C', length: 30 }]);
    for (const [ext, bytes] of Object.entries(parts)) writeFileSync(join(dir, `b.${ext}`), bytes);
    writeFileSync(join(dir, 'b.prj'), 'PROJCS["NAD_1983_UTM_Zone_13N",GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]');
    const r = await runInProcess(['where', '31.7000,-107.0000', '--accuracy', '5', '--boundary', join(dir, 'b.shp'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.territory, 'MX');
    assert.equal(o.line_uncertainty_m, 2);
    assert.match(r.stderr, /note: .*b\.shp: its Transverse Mercator projection \("NAD_1983_UTM_Zone_13N"\) undone; its datum "D_North_American_1983" \(NAD83\) taken as WGS 84, adding ±2 m/);
  });

  it('uses a boundary and fence from files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-where-'));
    const b = join(dir, 'b.geojson');
    const f = join(dir, 'f.geojson');
    writeFileSync(b, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { left: 'US', right: 'MX', name: 'Test line' }, geometry: { type: 'LineString', coordinates: [[-107, 31.5], [-106, 31.5]] } }] }));
    writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Test fence' }, geometry: { type: 'LineString', coordinates: [[-107, 31.51], [-106, 31.51]] } }] }));
    const r = await runInProcess(['where', '31.505,-106.5', '--boundary', b, '--fence', f, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.territory, 'US');
    assert.equal(o.zone, 'strip');
    assert.deepEqual({ name: o.fence.name, side: o.fence.side }, { name: 'Test fence', side: 'boundary' });
  });
});

describe('lindero where reading stdin', () => {
  it('writes one result per line in order; a bad line becomes an error object and the rest go on; exit 2', async () => {
    const input = ['31.56,-106.22', 'garbage', '', '31.70,-106.45', '91,0', '13RCQ8386292349'].join('\n') + '\n';
    const r = await runProcess(['where', '--json'], input);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    assert.equal(lines[0].territory, 'US');
    assert.deepEqual(Object.keys(lines[1]), ['line', 'error']);
    assert.equal(lines[1].line, 2);
    assert.equal(lines[1].error.code, 'bad-position');
    assert.equal(lines[2].line, 3);
    assert.equal(lines[3].territory, 'MX');
    assert.equal(lines[4].line, 5);
    assert.match(lines[4].error.message, /latitude/);
    assert.equal(lines[5].territory, 'US');
  });

  it('a huge line is reported, not parsed, and does not stop the stream', async () => {
    const input = `${'9'.repeat(2_000_000)}\n31.56,-106.22\n`;
    const r = await runInProcess(['where', '--json'], input);
    assert.equal(r.code, 2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].line, 1);
    assert.equal(lines[1].territory, 'US');
  });

  it('all good lines exit 0, with sentences without --json', async () => {
    const r = await runInProcess(['where'], '31.56,-106.22\r\n31.70,-106.45\r\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1], /Mexico territory|México/);
  });
});

describe('the lindero command', () => {
  it('--help and --version work', async () => {
    const help = await runInProcess(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /where \[POSITION\]/);
    const wh = await runInProcess(['where', '--help']);
    assert.equal(wh.code, 0);
    assert.match(wh.stdout, /--accuracy M/);
    const v = await runInProcess(['--version']);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  it('the installed bin runs (as npx lindero does)', async () => {
    const r = await runProcess(['where', '31.56', '-106.22', '--json'], '', { bin: true });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).territory, 'US');
  });
});
