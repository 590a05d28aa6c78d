import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { direct, inverse, seeded } from '../../test/helpers/geodesic-oracle.js';
import { loadLayers } from '../layers/node.js';
import { classify, type Layers } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import { readTrackFromString } from '../ingest/index.js';
import { analyzeTrack, analyzeTrackFiles, type AnalysisItem } from './analyze.js';
import { trackReportJson, type TrackReport, type UnitReport } from './report.js';
import { boundedGaussian } from '../../test/helpers/track-support.js';
import { REORDER_WINDOW } from './unit-analysis.js';

const FIXTURES = 'test/fixtures/track-analysis';
const fixture = (name: string) => join(FIXTURES, name);
const SECOND = 1000;

let layers: Layers;
let fenced: Layers;
before(async () => {
  layers = await loadLayers();
  fenced = await loadLayers(undefined, fixture('santa-teresa-fence.geojson'));
});

const analyzeFiles = (names: string[], on = layers, gapMs?: number) => analyzeTrackFiles(names.map(fixture), on, { gapMs });
const unitOf = (report: TrackReport, unit: string): UnitReport => {
  const found = report.units.find((u) => u.unit === unit);
  assert.ok(found, `unit ${unit} in ${report.units.map((u) => u.unit).join(', ')}`);
  return found;
};
/** |actual − expected| < tolerance, with a message (assert.ok without one re-reads the source to explain itself). */
function near(actual: number, expected: number, tolerance: number): void {
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}
const distanceToLine = (p: { lat: number; lon: number }) => classify(p, layers).boundary.distanceM;

async function* itemsOf(fixes: Fix[]): AsyncGenerator<AnalysisItem> {
  for (const fix of fixes) yield { kind: 'fix', fix, file: 'synthetic' };
}

describe('track analysis of recorded files', () => {
  it('a GPX and a KML of the same walk give identical results', async () => {
    const gpx = trackReportJson(await analyzeFiles(['pair-walk.gpx']));
    const kml = trackReportJson(await analyzeFiles(['pair-walk.kml']));
    assert.deepEqual(kml, gpx);
    const fencedGpx = trackReportJson(await analyzeFiles(['pair-walk.gpx'], fenced));
    assert.deepEqual(trackReportJson(await analyzeFiles(['pair-walk.kml'], fenced)), fencedGpx);
  });

  it('a walk across the Santa Teresa line and back: two confirmed crossings, on the line, at the interpolated instants', async () => {
    const u = unitOf(await analyzeFiles(['pair-walk.gpx']), 'BP-21');
    assert.equal(u.points, 61);
    assert.deepEqual(u.crossings.map((c) => [c.from, c.to, c.confirmed]), [['US', 'MX', true], ['MX', 'US', true]]);
    // 10 m north at 15:04:00 and 15 m south at 15:04:10: the line is 2/5 of the way, at 15:04:04.
    near(u.crossings[0].time, Date.parse('2024-03-12T15:04:04Z'), 5);
    near(u.crossings[1].time, Date.parse('2024-03-12T15:05:56Z'), 5);
    for (const c of u.crossings) assert.ok(distanceToLine(c) < 0.01, 'the crossing point is on the boundary');
    near(u.timeInS.MX, 112, 0.01);
    near(u.timeInS.US + u.timeInS.MX, 600, 1e-6);
    near(u.maxDepthM.MX!, 140, 0.1);
    near(u.maxDepthM.US!, 610, 0.1);
    near(u.closestApproach.distanceM, 10, 0.1);
    assert.equal(u.closestApproach.territory, 'US');
    assert.deepEqual(u.gaps, []);
    assert.deepEqual(u.strip, { entries: 0, seconds: 0 }, 'no fence layer, no strip');
  });

  it('with a fence 150 m north of the line, the walk enters the strip once and spends about two minutes in it', async () => {
    const u = unitOf(await analyzeFiles(['pair-walk.gpx'], fenced), 'BP-21');
    assert.equal(u.strip.entries, 1);
    // 150 m at 2.5 m/s each way: 60 s going south, 60 s coming back.
    assert.ok(Math.abs(u.strip.seconds - 120) < 0.5, `${u.strip.seconds} s`);
  });

  it('two patrols in one GPX are analysed apart; bad points are rejected with their lines and points logged out of order are put back', async () => {
    const report = await analyzeFiles(['patrols-multi.gpx']);
    assert.deepEqual(report.units.map((u) => [u.unit, u.points]), [['BP-30', 30], ['BP-31', 12]]);
    assert.deepEqual(report.rejected.map((r) => [r.file, r.line]), [['patrols-multi.gpx', 18], ['patrols-multi.gpx', 48]]);
    assert.match(report.rejected[0].reason, /latitude 91\.5/);
    const bp31 = unitOf(report, 'BP-31');
    near(bp31.closestApproach.distanceM, 40, 0.1);
    assert.deepEqual(bp31.crossings, []);
    assert.equal(bp31.timeInS.US, 330);
    assert.equal(bp31.maxDepthM.MX, null, 'never in Mexico');
    near(unitOf(report, 'BP-30').maxDepthM.US!, 80, 0.1);
  });

  it('a CSV of two boats: a side change across a 20-minute silence is a gap crossing, not a guessed instant', async () => {
    const report = await analyzeFiles(['river-patrol.csv']);
    const boat1 = unitOf(report, 'Boat-1');
    assert.equal(boat1.points, 42);
    assert.deepEqual(boat1.crossings, []);
    assert.deepEqual(boat1.gaps, [{ from: Date.parse('2024-04-02T10:10:00Z'), to: Date.parse('2024-04-02T10:30:00Z'), crossed: true }]);
    assert.deepEqual(boat1.timeInS, { US: 600, MX: 600 }, 'the silence is not attributed to either side');
    const boat2 = unitOf(report, 'Boat-2');
    assert.deepEqual(boat2.crossings.map((c) => [c.from, c.to, c.confirmed]), [['US', 'MX', true]]);
    assert.deepEqual(report.rejected.map((r) => r.line), [7, 11, 16]);
    assert.match(report.rejected[2].reason, /lon/);
  });

  it('with a longer gap threshold the same silence is an ordinary interval with a crossing instant', async () => {
    const boat1 = unitOf(await analyzeFiles(['river-patrol.csv'], layers, 30 * 60 * SECOND), 'Boat-1');
    assert.deepEqual(boat1.gaps, []);
    assert.deepEqual(boat1.crossings.map((c) => [c.from, c.to, c.confirmed]), [['US', 'MX', true]]);
    assert.ok(distanceToLine(boat1.crossings[0]) < 0.01, 'on the line');
  });

  it('GeoJSON timed points and a LineString with coordTimes: one unit crosses north, the other stays in Mexico; a point without time is rejected', async () => {
    const report = await analyzeFiles(['agents.geojson']);
    assert.deepEqual(unitOf(report, 'Agent-5').crossings.map((c) => [c.from, c.to, c.confirmed]), [['MX', 'US', true]]);
    const agent6 = unitOf(report, 'Agent-6');
    assert.deepEqual([agent6.points, agent6.crossings.length, agent6.timeInS.US, agent6.timeInS.MX], [5, 0, 0, 240]);
    assert.deepEqual(report.rejected.map((r) => r.line), [0]);
    assert.match(report.rejected[0].reason, /feature 3/);
  });

  it('an NMEA log with a corrupted line: the boat is named by the file, crosses the river, and the line is rejected', async () => {
    const report = await analyzeFiles(['boat.nmea']);
    const boat = unitOf(report, 'boat');
    assert.equal(boat.points, 8);
    assert.deepEqual(boat.crossings.map((c) => [c.from, c.to, c.confirmed]), [['US', 'MX', true]]);
    assert.deepEqual(report.rejected.map((r) => [r.line, /checksum/.test(r.reason)]), [[8, true]]);
  });

  it('all the files at once give each unit the result it has alone', async () => {
    const names = ['patrols-multi.gpx', 'river-patrol.csv', 'agents.geojson', 'boat.nmea'];
    const together = await analyzeFiles(names);
    for (const name of names) {
      for (const u of (await analyzeFiles([name])).units) assert.deepEqual(unitOf(together, u.unit), u);
    }
  });

  it('a file that breaks off part-way keeps the fixes before the break and reports where it broke', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-track-'));
    try {
      const text = readFileSync(fixture('pair-walk.gpx'), 'utf8');
      const cut = text.indexOf('<trkpt', text.indexOf('15:02:00Z'));
      const path = join(dir, 'broken.gpx');
      writeFileSync(path, text.slice(0, cut) + '<trkpt lat="31.7" lon=>\n</gpx>\n');
      const report = await analyzeTrackFiles([path, fixture('boat.nmea')], layers);
      assert.equal(unitOf(report, 'BP-21').points, 13);
      assert.equal(unitOf(report, 'boat').points, 8, 'the next file is read as usual');
      const broken = report.rejected.find((r) => r.file === 'broken.gpx');
      assert.ok(broken && broken.line > 0 && /rest of the file/.test(broken.reason), JSON.stringify(report.rejected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The shipped boundary's vertices from the one at longitude `fromLon` to the one at `toLon`. */
function boundaryReach(fromLon: number, toLon: number): [number, number][] {
  const set = layers.boundary;
  const first = set.lonDeg.indexOf(fromLon), last = set.lonDeg.indexOf(toLon);
  assert.ok(first >= 0 && last > first, 'the reach is in the shipped boundary');
  return Array.from({ length: last - first + 1 }, (_, i) => [set.lonDeg[first + i], set.latDeg[first + i]]);
}

/**
 * A walk along the Rio Grande at Fabens, `northM` from the line with noise of σ = accuracyM across it
 * (bounded at 3σ: fixes that honour their stated accuracy), framed by approaches from 200 m inland.
 */
function riverWalk(seed: number, northM: number, count: number, accuracyM: number): Fix[] {
  const rnd = seeded(seed);
  const coords = boundaryReach(-106.16244, -106.15372);
  const t0 = Date.UTC(2024, 6, 4, 21, 0, 0);
  const fixes: Fix[] = [];
  const at = (k: number, f: number, y: number) => {
    const [a, b] = [coords[k], coords[k + 1]];
    const az = inverse(a[1], a[0], b[1], b[0]).azi1 as number;
    const foot = { lat: a[1] + f * (b[1] - a[1]), lon: a[0] + f * (b[0] - a[0]) };
    const p = direct(foot.lat, foot.lon, y >= 0 ? az - 90 : az + 90, Math.abs(y));
    fixes.push({ unit: 'river-walker', time: t0 + fixes.length * 5 * SECOND, lat: p.lat, lon: p.lon, accuracyM, source: 'file' });
  };
  for (const y of [200, 120, 60, 25]) at(0, 0.05, y);
  for (let i = 0; i < count; i++) {
    const pos = ((i + 0.5) / count) * (coords.length - 1);
    const k = Math.min(coords.length - 2, Math.floor(pos));
    at(k, pos - k, northM + boundedGaussian(rnd) * accuracyM);
  }
  for (const y of [25, 60, 120, 200]) at(coords.length - 2, 0.95, y);
  return fixes;
}

describe('track analysis of synthetic tracks', () => {
  it('a noisy walk along the river reports its raw side changes, none of them confirmed', async () => {
    const report = await analyzeTrack(itemsOf(riverWalk(41, 2, 300, 6)), layers);
    const u = unitOf(report, 'river-walker');
    assert.ok(u.crossings.length >= 20, `${u.crossings.length} raw crossings`);
    assert.ok(u.crossings.every((c) => !c.confirmed), 'no crossing confirmed');
    for (let i = 1; i < u.crossings.length; i++) assert.equal(u.crossings[i].from, u.crossings[i - 1].to);
    assert.ok(u.timeInS.MX > 0, 'some time in Mexico');
  });

  it('the same walk 100 m into Mexico in the middle confirms exactly the crossing out and the crossing back', async () => {
    const walk = riverWalk(42, 2, 300, 6);
    const middle = walk[150];
    const deep = direct(middle.lat, middle.lon, 180 + 35, 100);
    walk[150] = { ...middle, ...deep };
    assert.ok(classify(walk[150], layers).territory === 'MX' && classify(walk[150], layers).boundary.distanceM > 18, 'beyond 3σ in Mexico');
    const u = unitOf(await analyzeTrack(itemsOf(walk), layers), 'river-walker');
    const confirmed = u.crossings.filter((c) => c.confirmed);
    assert.deepEqual(confirmed.map((c) => [c.from, c.to]), [['US', 'MX'], ['MX', 'US']]);
    assert.ok(confirmed[0].time < middle.time && confirmed[1].time > middle.time, 'around the excursion');
  });

  it('fixes shuffled within the reorder window give the same report as in order; an older fix beyond it is rejected', async () => {
    const walk = riverWalk(43, 30, 200, 5);
    const inOrder = await analyzeTrack(itemsOf(walk), layers);
    const rnd = seeded(44);
    const shuffled = [...walk];
    for (let i = 0; i + 8 <= shuffled.length; i += 8) {
      const block = shuffled.slice(i, i + 8).sort(() => rnd() - 0.5);
      shuffled.splice(i, 8, ...block);
    }
    assert.deepEqual(await analyzeTrack(itemsOf(shuffled), layers), inOrder);
    const late = { ...walk[0], time: walk[0].time - SECOND };
    const withLate = await analyzeTrack(itemsOf([...walk.slice(0, REORDER_WINDOW + 10), late]), layers);
    assert.equal(withLate.rejected.length, 1);
    assert.match(withLate.rejected[0].reason, /out of order/);
    assert.equal(withLate.rejected[0].file, 'synthetic');
  });

  it('a repeated fix and a second position at the same instant are rejected, the first one kept', async () => {
    const walk = riverWalk(45, 30, 20, 5);
    const repeat = { ...walk[5] };
    const conflicting = { ...walk[6], lat: walk[6].lat + 0.001 };
    const report = await analyzeTrack(itemsOf([...walk.slice(0, 6), repeat, walk[6], conflicting, ...walk.slice(7)]), layers);
    assert.equal(unitOf(report, 'river-walker').points, walk.length);
    assert.deepEqual(report.rejected.map((r) => /repeats/.test(r.reason) ? 'repeat' : /two different positions/.test(r.reason) ? 'conflict' : r.reason), ['repeat', 'conflict']);
  });

  it('a unit read from a GPX string with several tracks keeps them as separate units', async () => {
    const gpx = `<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
      <trk><name>A</name><trkseg><trkpt lat="31.79" lon="-106.6"><time>2024-01-01T00:00:00Z</time></trkpt><trkpt lat="31.78" lon="-106.6"><time>2024-01-01T00:01:00Z</time></trkpt></trkseg></trk>
      <trk><name>B</name><trkseg><trkpt lat="31.70" lon="-106.6"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>`;
    const report = await analyzeTrack(readTrackFromString(gpx, 'two.gpx'), layers);
    assert.deepEqual(report.units.map((u) => [u.unit, u.points, u.crossings.length]), [['A', 2, 1], ['B', 1, 0]]);
    assert.equal(unitOf(report, 'B').timeInS.MX, 0, 'a single fix spans no time');
  });

  it('a repeated time and a fix out of order found by the analysis name the line they were read at', async () => {
    const rows = ['time,lat,lon', '2024-01-01T00:00:00Z,31.79,-106.6', '2024-01-01T00:00:00Z,31.78,-106.6'];
    for (let s = 1; s <= REORDER_WINDOW + 5; s++) rows.push(`2024-01-01T00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z,31.79,-106.6`);
    rows.push('2023-12-31T23:59:00Z,31.79,-106.6');
    const report = await analyzeTrack(readTrackFromString(rows.join('\n') + '\n', 'log.csv'), layers);
    assert.deepEqual(report.rejected.map((r) => [r.line, /two different positions|out of order/.exec(r.reason)?.[0]]),
      [[3, 'two different positions'], [rows.length, 'out of order']]);
  });

  it('skipping classify where a distance bound proves it changes nothing gives exactly the report of classifying every fix', async () => {
    const rnd = seeded(46);
    // A day-long wander across the Santa Teresa line: a random walk of the offset, 1 fix every 2 s.
    const wander: Fix[] = [];
    let offsetM = 300, eastM = 0;
    for (let i = 0; i < 20_000; i++) {
      offsetM += (rnd() - 0.5) * 6 - offsetM * 0.0005;
      eastM += 1 + rnd();
      const p = direct(31.78384, -106.7, 90, eastM);
      const q = direct(p.lat, p.lon, offsetM >= 0 ? 0 : 180, Math.abs(offsetM));
      const gap = i % 5000 === 4999 ? 20 * 60 * SECOND : 0;
      wander.push({ unit: 'wanderer', time: (wander[i - 1]?.time ?? Date.UTC(2024, 8, 1)) + 2 * SECOND + gap, lat: q.lat, lon: q.lon, accuracyM: i % 7 === 0 ? undefined : 4 + (i % 5), source: 'file' });
    }
    const sameReport = (a: TrackReport, b: TrackReport) => assert.deepEqual({ ...a, classified: 0 }, { ...b, classified: 0 });
    for (const fixes of [wander, riverWalk(47, 2, 400, 6), riverWalk(48, 40, 400, 5)]) {
      const fast = await analyzeTrack(itemsOf(fixes), layers);
      const every = await analyzeTrack(itemsOf(fixes), layers, { classifyEveryFix: true });
      sameReport(fast, every);
      assert.equal(every.classified, fixes.length);
    }
    const wanderReport = await analyzeTrack(itemsOf(wander), layers);
    assert.ok(wanderReport.classified < wander.length / 2, `${wanderReport.classified} of ${wander.length} classified`);
    for (const name of ['pair-walk.gpx', 'patrols-multi.gpx', 'river-patrol.csv', 'agents.geojson', 'boat.nmea']) {
      const files = [fixture(name)];
      sameReport(await analyzeTrackFiles(files, layers), await analyzeTrackFiles(files, layers, { classifyEveryFix: true }));
    }
  });

  it('a gap threshold that is not positive is refused', async () => {
    await assert.rejects(analyzeTrack(itemsOf([]), layers, { gapMs: 0 }), RangeError);
  });
});

after(() => undefined);
