// A scripted patrol approaches the line, goes through the fence into the strip, crosses into Mexico,
// comes back and leaves the strip. The server must raise exactly the alerts of that story, in
// device-time order, however its fixes arrive.
import assert from 'node:assert/strict';
import { after, before, test as nodeTest } from 'node:test';
import { parseCot } from '../../src/ingest/index.js';
import { atakPli, getJson, postJson, startTestServer, StreamReader, streamUrl, tcpClient, write, type StreamEvent, type TestServer } from './helpers.js';
import { seeded } from '../helpers/geodesic-oracle.js';

const test = (name: string, fn: () => Promise<void>) => nodeTest(name, { timeout: 30_000 }, fn);

/** The boundary (parallel 31°47′ N, as drawn in the fixture) crosses lon -106.58 here; the Sunland Park fence runs 60 m north. */
const BOUNDARY_LAT = 31.783859;
const LON = -106.58;
const STEP_MS = 20_000;

/** Metres north of the boundary: 1.5 km out, south through the fence to 140 m into Mexico, and back 810 m north. */
function patrolOffsetsM(): number[] {
  const out: number[] = [];
  for (let m = 1510; m >= -140; m -= 50) out.push(m);
  for (let m = -115; m <= 810; m += 50) out.push(m);
  return out;
}

function patrol(unit: string, startMs: number) {
  return patrolOffsetsM().map((m, k) => ({ unit, time: startMs + k * STEP_MS, lat: BOUNDARY_LAT + m / 111_000, lon: LON, accuracy_m: 2 }));
}

/** What happened, fix by fix (index into the patrol): the story above. */
const EXPECTED = [
  { kind: 'approach', at: 21 },
  { kind: 'entered-strip', at: 30 },
  { kind: 'crossing', at: 31, from: 'US', to: 'MX' },
  { kind: 'crossing', at: 37, from: 'MX', to: 'US' },
  { kind: 'left-strip', at: 38 },
];

/** Network-style reordering: each fix arrives up to `reach` places away from its turn. */
function jostled<T>(items: T[], seed: number, reach: number): T[] {
  const random = seeded(seed);
  return items.map((item, i) => ({ item, key: i + random() * reach })).sort((a, b) => a.key - b.key).map((x) => x.item);
}

/** Seeded Fisher–Yates shuffle: any order at all. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  const random = seeded(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

let server: TestServer;
let stream: StreamReader;
// Each patrol walks alone: 40 minutes apart in device time, so no two are ever near each other at once
// (which would be a proximity alert); all in the past hours, with stale checks off, so the story is only the patrol's.
const FIRST_START_MS = Math.floor(Date.now() / 1000) * 1000 - 6 * 3_600_000;
let patrols = 0;
const nextStart = () => FIRST_START_MS + patrols++ * 40 * 60_000;
before(async () => {
  // One request per fix, back to back: on an idle machine that is more than the API's 200 requests a second
  // from one address, which would answer 429; the story, not the rate limit, is under test here.
  server = await startTestServer({ tickMs: 3_600_000, limits: { httpRequestsPerSecond: 100_000 } });
  stream = await StreamReader.open(streamUrl(server));
});
after(async () => {
  await stream.close();
  await server.stop();
});

type AlertWire = { kind: string; time_ms: number; from?: string; to?: string; late: boolean; unit: string };

async function alertsOf(unit: string): Promise<AlertWire[]> {
  await server.pipeline.settle();
  const r = await getJson(`${server.base}/api/v1/alerts?unit=${unit}`);
  return (r.body.alerts as AlertWire[]).sort((a, b) => a.time_ms - b.time_ms);
}

function story(alerts: AlertWire[], startMs: number) {
  return alerts.map((a) => {
    const out: { kind: string; at: number; from?: string; to?: string } = { kind: a.kind, at: (a.time_ms - startMs) / STEP_MS };
    if (a.from) Object.assign(out, { from: a.from, to: a.to });
    return out;
  });
}

test('fixes sent in order over CoT raise the story, each alert streamed and sent back to the TAK client as a marker', async () => {
  const unit = 'ANDROID-patrol-1';
  const start = nextStart();
  const tak = await tcpClient(server.ports.cotTcp!);
  for (const f of patrol(unit, start)) await write(tak.socket, atakPli(unit, f.lat, f.lon, f.time, 2));
  // People read the unit's callsign, not its uid: on the marker, in the remarks, in the alert.
  const callsign = 'COYOTE-3 Ñandú';
  await tak.waitForText(`LEFT STRIP ${callsign}`);
  const alerts = await alertsOf(unit);
  assert.deepEqual(story(alerts, start), EXPECTED);
  assert.ok(alerts.every((a) => !a.late));
  const streamed = stream.events.filter((e: StreamEvent) => e.type === 'alert' && e.alert.unit === unit).map((e) => e.alert.kind);
  assert.deepEqual(streamed, EXPECTED.map((e) => e.kind));
  // Each alert came back as a CoT spot marker whose remarks state it in English and Spanish.
  const markers = tak.received().split(/(?=<\?xml)/).filter((doc) => doc.includes('lindero-alert-')).map((doc) => parseCot(doc, { time: { maxAgeMs: 86_400_000 } }));
  assert.equal(markers.length, EXPECTED.length);
  assert.equal(markers[2].type, 'b-m-p-s-m');
  assert.match(markers[2].remarks ?? '', new RegExp(`${callsign} crossed the boundary from United States into Mexico.* / ${callsign} cruzó el límite de Estados Unidos a México`));
  assert.equal(markers[2].role, 'marker');
  assert.ok(alerts.every((a) => (a as { name?: string }).name === callsign));
  tak.socket.end();
});

test('the same patrol shuffled in one batch raises exactly the same story', async () => {
  const unit = 'patrol-batch';
  const start = nextStart();
  const r = await postJson(`${server.base}/api/v1/fixes`, shuffled(patrol(unit, start), 7));
  assert.equal(r.body.accepted, patrolOffsetsM().length);
  assert.deepEqual(story(await alertsOf(unit), start), EXPECTED);
});

const kindsOf = (alerts: { kind: string; from?: string; to?: string }[]) => alerts.map((a) => a.kind + (a.from ? ` ${a.from}→${a.to}` : ''));

for (const seed of [1, 2, 3]) {
  test(`the patrol reordered in transit, one request per fix (seed ${seed}), raises the story in device-time order, each event once`, async () => {
    const unit = `patrol-jostled-${seed}`;
    const start = nextStart();
    const reach = 4;
    const arrival = jostled(patrol(unit, start), seed, reach);
    for (const fix of arrival) assert.equal((await postJson(`${server.base}/api/v1/fixes`, [fix])).body.accepted, 1);
    const alerts = story(await alertsOf(unit), start);
    assert.deepEqual(kindsOf(alerts), kindsOf(EXPECTED));
    // Raised at the fix that showed it, or at the first that did when that one was still in transit.
    alerts.forEach((a, i) => assert.ok(a.at >= EXPECTED[i].at && a.at <= EXPECTED[i].at + reach, `${a.kind} at fix ${a.at}, expected ${EXPECTED[i].at}`));
  });
}

for (const seed of [11, 12, 13]) {
  test(`the patrol in any order at all, one request per fix (seed ${seed}), raises each event of the story once`, async () => {
    const unit = `patrol-shuffled-${seed}`;
    const start = nextStart();
    for (const fix of shuffled(patrol(unit, start), seed)) assert.equal((await postJson(`${server.base}/api/v1/fixes`, [fix])).body.accepted, 1);
    // An alert raised live stays where it was raised; a late fix only adds what was never reported.
    assert.deepEqual(kindsOf(story(await alertsOf(unit), start)).sort(), kindsOf(EXPECTED).sort());
  });
}

test('fixes from Mexico that arrive only after the patrol came back (a phone out of coverage) raise both crossings, marked late', async () => {
  const unit = 'patrol-buffered';
  const start = nextStart();
  const fixes = patrol(unit, start);
  const inMexico = fixes.slice(31, 37);
  for (const fix of [...fixes.slice(0, 31), ...fixes.slice(37)]) await postJson(`${server.base}/api/v1/fixes`, [fix]);
  const live = story(await alertsOf(unit), start);
  assert.deepEqual(kindsOf(live), ['approach', 'entered-strip', 'left-strip'], 'without the Mexican fixes no crossing is seen');
  const r = await postJson(`${server.base}/api/v1/fixes`, inMexico);
  assert.equal(r.body.accepted, inMexico.length);
  const alerts = await alertsOf(unit);
  assert.deepEqual(story(alerts, start), EXPECTED);
  assert.deepEqual(alerts.map((a) => a.late), [false, false, true, true, false]);
  const streamed = stream.events.filter((e) => e.type === 'alert' && e.alert.unit === unit && e.alert.kind === 'crossing');
  assert.equal(streamed.length, 2, 'the late crossings are pushed on the stream too');
  assert.match(streamed[0].alert.message_en, /found from a late report/);
});

test('a unit near the line that goes quiet raises one stale alert, on the stream', async () => {
  const quiet = await startTestServer({ tickMs: 20, ruleOptions: { staleAfterMs: 60_000 } });
  const reader = await StreamReader.open(streamUrl(quiet));
  try {
    const t = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    await postJson(`${quiet.base}/api/v1/fixes`, [{ unit: 'quiet-1', time: t, lat: BOUNDARY_LAT + 300 / 111_000, lon: LON, accuracy_m: 3 }]);
    const event = await reader.waitFor((e) => e.type === 'alert' && e.alert.kind === 'stale');
    assert.equal(event.alert.unit, 'quiet-1');
    assert.equal(event.alert.time_ms, t + 60_000, 'stale from when the silence passed the limit');
    await quiet.pipeline.settle();
    assert.equal((await quiet.store.alerts({ unit: 'quiet-1' })).filter((a) => a.kind === 'stale').length, 1);
  } finally {
    await reader.close();
    await quiet.stop();
  }
});
