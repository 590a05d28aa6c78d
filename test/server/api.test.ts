// The HTTP API's contract: the where answer, GeoJSON tracks and layers, alerts, and errors in one shape.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { whereJson } from '../../src/answer/index.js';
import { formatMgrs } from '../../src/coords/index.js';
import { classify } from '../../src/geo/index.js';
import { getJson, postJson, startTestServer, wholeSecondsAgo, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ rules: null });
});
after(() => server.stop());

test('GET /where answers the same object as `lindero where --json`', async () => {
  for (const [lat, lon, acc] of [[31.79, -106.58, 5], [31.7838, -106.58, 25], [31.70, -106.40, 3]]) {
    const r = await getJson(`${server.base}/api/v1/where?lat=${lat}&lon=${lon}&accuracy_m=${acc}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, whereJson(classify({ lat, lon, accuracyM: acc }, server.layers), formatMgrs(lat, lon)));
  }
});

test('GET /where without accuracy assumes 20 m and says it was assumed, as the command line does', async () => {
  const r = await getJson(`${server.base}/api/v1/where?lat=31.7836&lon=-106.58`);
  assert.equal(r.body.accuracy_m, 20);
  assert.equal(r.body.accuracy_assumed, true);
  const given = await getJson(`${server.base}/api/v1/where?lat=31.7836&lon=-106.58&accuracy_m=5`);
  assert.equal(given.body.accuracy_assumed, false);
});

test('GET /where with an empty or out-of-range coordinate is a 400 naming the field, never 0,0', async () => {
  for (const [query, field] of [['lat=&lon=-106.5', 'lat'], ['lat=31.7&lon=200', 'lon'], ['lat=31.7&lon=-106.5&accuracy_m=-3', 'accuracy_m'], ['lon=-106.5', 'lat'], ['lat=1e400&lon=1', 'lat']]) {
    const r = await getJson(`${server.base}/api/v1/where?${query}`);
    assert.equal(r.status, 400, query);
    assert.equal(r.body.error.field, field, query);
    assert.equal(typeof r.body.error.message, 'string');
  }
});

test('errors never carry a stack trace', async () => {
  const bad = await fetch(`${server.base}/api/v1/fixes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"unit":' });
  const text = await bad.text();
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(JSON.parse(text)), ['error']);
  assert.equal(JSON.parse(text).error.code, 'bad-json');
  assert.doesNotMatch(text, /\bat \w+ \(|node_modules|\.ts:\d+/);
});

test('a body that is not an array of fixes is a 400; an unknown route a 404; both in the error shape', async () => {
  const notArray = await postJson(`${server.base}/api/v1/fixes`, { unit: 'x' });
  assert.equal(notArray.status, 400);
  assert.equal(notArray.body.error.code, 'bad-request');
  const missing = await getJson(`${server.base}/api/v1/nothing-here`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not-found');
});

test('a body over the size limit is refused with 413 and nothing is stored', async () => {
  const big = await startTestServer({ rules: null, limits: { httpBodyBytes: 2048 } });
  try {
    const fixes = Array.from({ length: 40 }, (_, i) => ({ unit: 'big', time: wholeSecondsAgo(100 - i), lat: 31.79, lon: -106.58 }));
    const r = await postJson(`${big.base}/api/v1/fixes`, fixes);
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'body-too-large');
    assert.equal((await big.store.track('big')).length, 0);
  } finally {
    await big.stop();
  }
});

test('a unit track is GeoJSON in device-time order, limited by from and to', async () => {
  const t = wholeSecondsAgo(600);
  const fixes = [3, 0, 2, 1].map((k) => ({ unit: 'walker', time: t + k * 60_000, lat: 31.79 - k * 0.001, lon: -106.58 }));
  assert.equal((await postJson(`${server.base}/api/v1/fixes`, fixes)).body.accepted, 4);
  const all = await getJson(`${server.base}/api/v1/units/walker/track`);
  assert.equal(all.status, 200);
  assert.equal(all.body.type, 'FeatureCollection');
  const [line, ...points] = all.body.features;
  assert.equal(line.geometry.type, 'LineString');
  assert.deepEqual(line.geometry.coordinates.map((c: number[]) => c[1]), [0, 1, 2, 3].map((k) => 31.79 - k * 0.001));
  assert.deepEqual(points.map((p: any) => p.properties.time_ms), [0, 1, 2, 3].map((k) => t + k * 60_000));
  assert.equal(points[1].properties.late, true, 'the fix that arrived after a newer one is marked late');
  const window = await getJson(`${server.base}/api/v1/units/walker/track?from=${new Date(t + 60_000).toISOString()}&to=${t + 120_000}`);
  assert.deepEqual(window.body.features.filter((f: any) => f.geometry.type === 'Point').map((p: any) => p.properties.time_ms), [t + 60_000, t + 120_000]);
});

test('a track of a unit never heard from is a 404; a zone-less time is a 400', async () => {
  const unknown = await getJson(`${server.base}/api/v1/units/nobody/track`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'unknown-unit');
  const zoneless = await getJson(`${server.base}/api/v1/units/walker/track?from=2025-01-01T10:00:00`);
  assert.equal(zoneless.status, 400);
  assert.equal(zoneless.body.error.field, 'from');
});

test('GET /layers gives the boundary with its territories and the fences as GeoJSON lines', async () => {
  const r = await getJson(`${server.base}/api/v1/layers`);
  assert.equal(r.status, 200);
  const names = r.body.boundary.features.map((f: any) => f.properties.name);
  assert.ok(names.includes('Parallel 31°47′ N') && names.includes('Rio Grande at El Paso'), names.join(', '));
  const parallel = r.body.boundary.features.find((f: any) => f.properties.name === 'Parallel 31°47′ N');
  assert.deepEqual([parallel.properties.left, parallel.properties.right], ['US', 'MX']);
  assert.deepEqual(parallel.geometry.coordinates[0], [-108.208333, 31.783333]);
  const fence = r.body.fences.features.find((f: any) => f.properties.name === 'Sunland Park fence');
  assert.equal(fence.properties.territory, 'US');
  assert.equal(fence.geometry.coordinates.length, 3);
});

test('GET /alerts answers the stored alerts after a time or an id, in the wire shape', async () => {
  const t = wholeSecondsAgo(300);
  const fix = (await server.store.track('walker'))[0];
  const first = await server.store.appendAlert({ kind: 'approach', unit: 'walker', time: t, determination: fix.determination });
  const second = await server.store.appendAlert({ kind: 'crossing', unit: 'walker', time: t + 1000, determination: fix.determination, from: 'US', to: 'MX', confirmed: true, late: true });
  const since = await getJson(`${server.base}/api/v1/alerts?since=${new Date(t + 500).toISOString()}`);
  assert.deepEqual(since.body.alerts.map((a: any) => a.id), [second.id]);
  const a = since.body.alerts[0];
  assert.equal(a.kind, 'crossing');
  assert.equal(a.late, true);
  assert.equal(a.from, 'US');
  assert.match(a.message_en, /walker crossed the boundary from United States into Mexico/);
  assert.match(a.message_es, /walker cruzó el límite de Estados Unidos a México/);
  const afterId = await getJson(`${server.base}/api/v1/alerts?after_id=${first.id}`);
  assert.deepEqual(afterId.body.alerts.map((x: any) => x.id), [second.id]);
  const badSince = await getJson(`${server.base}/api/v1/alerts?since=yesterday`);
  assert.equal(badSince.status, 400);
  assert.equal(badSince.body.error.field, 'since');
});

test('GET /alerts filters the history by kind, time window and partner, newest first on request', async () => {
  const t = wholeSecondsAgo(200);
  const fix = (await server.store.track('walker'))[0];
  const d = fix.determination;
  const approach = await server.store.appendAlert({ kind: 'approach', unit: 'hist', time: t, determination: d });
  const crossing = await server.store.appendAlert({ kind: 'crossing', unit: 'hist', time: t + 1000, determination: d, from: 'US', to: 'MX', confirmed: true });
  const near = await server.store.appendAlert({ kind: 'proximity', unit: 'hist', time: t + 2000, determination: d, otherUnit: 'halcon-3@SEDENA', unitDistanceM: 120 });
  const ids = async (query: string) => {
    const r = await getJson(`${server.base}/api/v1/alerts?unit=hist&${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.alerts.map((a: any) => a.id);
  };
  assert.deepEqual(await ids('kind=crossing,proximity'), [crossing.id, near.id]);
  assert.deepEqual(await ids(`since=${t + 500}&until=${new Date(t + 1500).toISOString()}`), [crossing.id]);
  assert.deepEqual(await ids('partner=SEDENA'), [near.id]);
  assert.deepEqual(await ids('partner=CBP'), []);
  assert.deepEqual(await ids('order=newest&limit=2'), [near.id, crossing.id]);
  assert.deepEqual(await ids('order=newest'), [near.id, crossing.id, approach.id]);
  const badUntil = await getJson(`${server.base}/api/v1/alerts?until=tomorrow`);
  assert.equal(badUntil.status, 400);
  assert.equal(badUntil.body.error.field, 'until');
  const badKind = await getJson(`${server.base}/api/v1/alerts?kind=Crossing!`);
  assert.equal(badKind.status, 400);
});
