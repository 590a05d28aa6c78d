import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from './main.js';

const FIXTURES = 'test/fixtures/track-analysis';
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'lindero-track-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Run { code: number; stdout: string; stderr: string }

/** `lindero track ARGS` as a separate process, the way a user runs it. */
function lindero(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'track', ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The same command run in this process (for the cases that need no separate process). */
async function linderoHere(...args: string[]): Promise<Run> {
  let stdout = '', stderr = '';
  const code = await main(['track', ...args], {
    stdin: Readable.from([]),
    out: (t) => { stdout += t; },
    err: (t) => { stderr += t; },
    write: async (t) => { stdout += t; },
  });
  return { code, stdout, stderr };
}

describe('lindero track on the command line', () => {
  it('--json prints exactly the documented shape and exits 0 when every record was used', async () => {
    const run = await lindero(fixture('pair-walk.gpx'), '--json');
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(out), ['units', 'rejected']);
    const [unit] = out.units;
    assert.deepEqual(Object.keys(unit), ['unit', 'points', 'start', 'end', 'crossings', 'closest_approach', 'time_in', 'strip', 'max_depth_m', 'gaps', 'emergencies']);
    assert.deepEqual(Object.keys(unit.crossings[0]), ['time', 'lat', 'lon', 'from', 'to', 'confirmed']);
    assert.deepEqual(Object.keys(unit.closest_approach), ['time', 'lat', 'lon', 'distance_m', 'territory']);
    assert.deepEqual(Object.keys(unit.strip), ['entries', 'seconds']);
    assert.equal(unit.unit, 'BP-21');
    assert.equal(unit.start, '2024-03-12T15:00:00.000Z');
    // 10 m north at 15:04:00 and 15 m south at 15:04:10: the line is 2/5 of the way (to the fixtures' 7 decimals).
    assert.ok(Math.abs(Date.parse(unit.crossings[0].time) - Date.parse('2024-03-12T15:04:04.000Z')) <= 5, unit.crossings[0].time);
    assert.deepEqual(Object.keys(unit.time_in), ['US', 'MX']);
    assert.deepEqual(out.rejected, []);
  });

  it('several files with bad records: the report covers the good ones, lists the bad ones, and exits 2 naming the files', async () => {
    const run = await lindero(fixture('river-patrol.csv'), fixture('agents.geojson'), '--json', '--gap', '600');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /3 records in river-patrol\.csv and 1 in agents\.geojson/);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.units.map((u: { unit: string }) => u.unit), ['Boat-1', 'Boat-2', 'Agent-5', 'Agent-6']);
    assert.deepEqual(out.rejected.map((r: { file: string; line: number }) => `${r.file}:${r.line}`), ['river-patrol.csv:7', 'river-patrol.csv:11', 'river-patrol.csv:16', 'agents.geojson:0']);
    assert.deepEqual(out.units[0].gaps, [{ from: '2024-04-02T10:10:00.000Z', to: '2024-04-02T10:30:00.000Z', crossed: true }]);
  });

  it('waypoints and route points beside a track are listed as no position reports, and are no error: exit 0 when they are all that was left out', async () => {
    const gpx = join(scratch, 'garmin.gpx');
    writeFileSync(gpx, `<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
<wpt lat="31.7543" lon="-106.4892"><time>2024-06-11T13:58:12Z</time><name>Gate 4</name></wpt>
<rte><rtept lat="31.75" lon="-106.48"/></rte>
<trk><name>BP-7</name><trkseg><trkpt lat="31.79" lon="-106.6"><time>2024-06-11T14:00:00Z</time></trkpt><trkpt lat="31.78" lon="-106.6"><time>2024-06-11T14:01:00Z</time></trkpt></trkseg></trk></gpx>`);
    const run = await lindero(gpx, '--json');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /2 records were no position report \(a waypoint beside a track, a receiver without a fix, a line drawn without times…\): not read, and no error/);
    assert.doesNotMatch(run.stderr, /could not be used/);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.rejected.map((r: { line: number; not_a_report?: boolean }) => [r.line, r.not_a_report]), [[2, true], [3, true]]);
    assert.deepEqual(out.units.map((u: { unit: string; points: number }) => [u.unit, u.points]), [['BP-7', 2]]);
    // Beside a point that is unusable (no time), the exit status is 2 and only that one is counted as refused.
    const both = await lindero('test/fixtures/tracks/two-patrols.gpx', '--json');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /1 record was no position report/);
    assert.match(both.stderr, /1 record in two-patrols\.gpx could not be used/);
    assert.deepEqual(JSON.parse(both.stdout).rejected.map((r: { not_a_report?: boolean }) => r.not_a_report ?? false), [true, false]);
  });

  it('--geojson writes a FeatureCollection of tracks, crossing points and closest approaches', async () => {
    const run = await linderoHere(fixture('pair-walk.kml'), fixture('river-patrol.csv'), '--geojson');
    const fc = JSON.parse(run.stdout);
    assert.equal(fc.type, 'FeatureCollection');
    const kinds = fc.features.map((f: { properties: { unit: string; kind: string }; geometry: { type: string } }) => `${f.properties.unit} ${f.properties.kind} ${f.geometry.type}`);
    assert.deepEqual(kinds.filter((k: string) => k.startsWith('BP-21')), ['BP-21 track LineString', 'BP-21 crossing Point', 'BP-21 crossing Point', 'BP-21 closest-approach Point']);
    assert.ok(kinds.includes('Boat-1 track MultiLineString'), 'a track split by a gap is a MultiLineString');
    const track = fc.features[0].geometry.coordinates;
    assert.equal(track.length, 61);
    assert.ok(track.every((p: number[]) => p.length === 2 && p[0] < -106 && p[1] > 31), 'positions are [lon, lat]');
  });

  it('the plain report reads in Spanish with --lang es and shows the strip with a fence', async () => {
    const run = await linderoHere(fixture('pair-walk.gpx'), '--lang', 'es', '--fence', fixture('santa-teresa-fence.geojson'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Cruces\s+2 \(2 confirmados\)/);
    assert.match(run.stdout, /Estados Unidos → México/);
    assert.match(run.stdout, /Franja\s+1 entrada, 2 min/);
  });

  it('bad usage exits 2 with a message naming the argument or file, and prints no report (the first case as a process)', async () => {
    const cases: [string[], RegExp][] = [
      [[fixture('missing.gpx')], /missing\.gpx: cannot read the track file: no such file/],
      [[fixture('pair-walk.gpx'), '--gap', 'soon'], /--gap must be a positive number of seconds/],
      [[fixture('pair-walk.gpx'), '--json', '--geojson'], /--json and --geojson/],
      [[fixture('pair-walk.gpx'), '--lang', 'fr'], /--lang/],
      [[fixture('pair-walk.gpx'), '--speed', '3'], /unknown option --speed/],
      [[], /at least one track file/],
      [[fixture('pair-walk.gpx'), '--boundary', fixture('missing.geojson')], /missing\.geojson/],
    ];
    const runs = [await lindero(...cases[0][0])];
    for (const [args] of cases.slice(1)) runs.push(await linderoHere(...args));
    runs.forEach((run, i) => {
      assert.equal(run.code, 2, `${cases[i][0].join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, cases[i][1]);
      assert.equal(run.stdout, '');
    });
  });

  it('hostile and garbage files become rejected records naming the file, and the other files are still analysed', async () => {
    const xxe = join(scratch, 'xxe.gpx');
    writeFileSync(xxe, '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<gpx version="1.1"><trk><name>&x;</name></trk></gpx>\n');
    const garbage = join(scratch, 'garbage.gpx');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const run = await linderoHere(xxe, garbage, fixture('boat.nmea'), '--json');
    assert.equal(run.code, 2);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out.units.map((u: { unit: string }) => u.unit), ['boat']);
    const files = out.rejected.map((r: { file: string }) => r.file);
    assert.ok(files.includes('xxe.gpx') && files.includes('garbage.gpx'), JSON.stringify(out.rejected));
    assert.ok(!run.stdout.includes('root:'), 'the external entity was not read');
  });
});
