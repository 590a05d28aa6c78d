// The incidents API on a live server: the rule opens an incident from alerts, operators open theirs,
// and each incident comes with its units' fixes, determinations and crossings, its report and bundle.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { whereJson } from '../../src/answer/index.js';
import { formatMgrs } from '../../src/coords/index.js';
import { classify } from '../../src/geo/index.js';
import { evidenceKeyFiles, keyFingerprint, parseBundle, verifyBundle } from '../../src/incidents/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { clintFixes, FENCE_FILE, T0, tempDir } from './helpers.js';

const tmp = tempDir('lindero-incidents-api-');
let server: RunningServer;
let base = '';
// The Clint fixes moved to ten minutes ago: the server takes fixes only from the last year.
const shift = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000 - T0;

async function json(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const r = await fetch(`${base}${path}`, init);
  return { status: r.status, body: await r.json() };
}
const post = (path: string, body: unknown) => json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

before(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, db: tmp.file('api.db'), fenceFile: FENCE_FILE });
  base = `http://127.0.0.1:${server.ports.http}`;
  for (const f of clintFixes()) {
    const r = await post('/api/v1/fixes', [{ unit: f.unit, time: f.time + shift, lat: f.lat, lon: f.lon, accuracy_m: f.accuracyM }]);
    assert.equal(r.body.accepted, 1);
  }
  await server.pipeline.settle();
});
after(async () => {
  await server.close();
  tmp.remove();
});

test('a proximity alert opens an incident for both units and the crossings extend it', async () => {
  const { body } = await json('/api/v1/incidents');
  assert.equal(body.incidents.length, 1);
  const [incident] = body.incidents;
  assert.equal(incident.opened_by, 'rule');
  assert.equal(incident.opened_by_alert.kind, 'proximity');
  assert.deepEqual([...incident.units].sort(), ['mx-1', 'us-1']);
  const kinds = (await json('/api/v1/alerts')).body.alerts.filter((a: any) => incident.alert_ids.includes(a.id)).map((a: any) => a.kind);
  assert.deepEqual(kinds, ['proximity', 'crossing', 'crossing']);
  assert.deepEqual(incident.records.map((r: any) => r.action), ['opened', 'extended', 'extended']);
  assert.ok(incident.records.every((r: any) => r.chain_n > 0));
});

test('each unit\'s fixes in the window come with their determinations, and the crossing found in them', async () => {
  const { status, body } = await json('/api/v1/incidents/1');
  assert.equal(status, 200);
  const mx = body.units.find((u: any) => u.unit === 'mx-1');
  assert.equal(mx.fixes.length, 21);
  for (const f of mx.fixes) {
    const expected = whereJson(classify({ lat: f.where.lat, lon: f.where.lon, accuracyM: 6 }, server.layers), formatMgrs(f.where.lat, f.where.lon));
    assert.deepEqual(f.where, expected);
  }
  assert.equal(mx.crossings.length, 1);
  assert.equal(mx.crossings[0].from, 'MX');
  assert.equal(mx.crossings[0].to, 'US');
  assert.equal(mx.crossings[0].confirmed, true);
  const us = body.units.find((u: any) => u.unit === 'us-1');
  assert.equal(us.fixes[0].where.zone, 'strip');
  assert.equal(us.fixes[0].where.fence.illustrative, true);
  assert.ok(body.alerts.some((a: any) => a.kind === 'crossing' && /crossed the boundary/.test(a.message_en) && /cruzó el límite/.test(a.message_es)));
});

test('an operator opens an incident with a window, units, a place and a note; notes are added later', async () => {
  const from = new Date(T0 + shift).toISOString();
  const created = await post('/api/v1/incidents', { from, to: T0 + shift + 600_000, units: ['us-1', 'us-1'], place: '31.5181, -106.2368', note: 'Radio report of soldiers at the road' });
  assert.equal(created.status, 201);
  assert.equal(created.body.opened_by, 'operator');
  assert.deepEqual(created.body.units, ['us-1']);
  // Typed to the fourth decimal: the place is an 11 m square, and says so.
  assert.deepEqual(created.body.place, { lat: 31.5181, lon: -106.2368, square_m: 11.09 });
  // A place written to the minute, as reports give it, is the centre of a 1.85 km square; a full MGRS reference or six decimals are a point.
  const minute = await post('/api/v1/incidents', { from, to: T0 + shift + 600_000, units: ['us-1'], place: `31°31'N 106°14'W` });
  assert.equal(minute.status, 201);
  assert.ok(Math.abs(minute.body.place.square_m - 1848) < 2, JSON.stringify(minute.body.place));
  const report = await (await fetch(`${base}/api/v1/incidents/${minute.body.id}/report`)).text();
  assert.match(report, /31\.516667, -106\.233333 \(MGRS [0-9A-Z]+\)<br><span lang="en">the centre of the 1\.85 km square the place was given to<\/span><br><span lang="es">centro del cuadrado de 1\.85 km al que se dio el lugar<\/span>/);
  const bundled = verifyBundle(parseBundle(await (await fetch(`${base}/api/v1/incidents/${minute.body.id}/bundle`)).text(), 'minute-bundle.json'));
  assert.equal(bundled.ok, true, bundled.problem ?? '');
  const point = await post('/api/v1/incidents', { from, to: T0 + shift + 600_000, units: ['us-1'], place: '31.518100,-106.236800' });
  assert.deepEqual(point.body.place, { lat: 31.5181, lon: -106.2368 });
  assert.equal(created.body.notes[0].text, 'Radio report of soldiers at the road');
  const noted = await post(`/api/v1/incidents/${created.body.id}/notes`, { text: 'Patrol leader confirms.' });
  assert.equal(noted.status, 200);
  assert.equal(noted.body.notes.length, 2);
  const evidence = await json(`/api/v1/incidents/${created.body.id}`);
  assert.equal(evidence.body.units[0].fixes.length, 21);
});

test('a bad incident request is a 400 naming the field; an unknown incident a 404', async () => {
  const now = Date.now();
  const cases: [unknown, string][] = [
    [{ from: now, to: now - 1, units: ['u'] }, 'to'],
    [{ from: '2019-04-13 15:00', to: now, units: ['u'] }, 'from'],
    [{ from: now, to: now, units: [] }, 'units'],
    [{ from: now, to: now, units: ['u'], place: 'somewhere near Clint' }, 'place'],
    [{ from: now, to: now, units: ['u'], place: { lat: 95, lon: 0 } }, 'place.lat'],
    [{ from: now, to: now + 400 * 86_400_000, units: ['u'] }, 'to'],
  ];
  for (const [body, field] of cases) {
    const r = await post('/api/v1/incidents', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  const extra = await post('/api/v1/incidents', { from: now, to: now, units: ['u'], opened_by: 'rule' });
  assert.equal(extra.status, 201);
  assert.equal(extra.body.opened_by, 'operator', 'fields the API does not take are dropped, never trusted');
  for (const path of ['/api/v1/incidents/999', '/api/v1/incidents/999/report', '/api/v1/incidents/999/bundle']) {
    const r = await json(path);
    assert.equal(r.status, 404, path);
    assert.match(r.body.error.message, /there is no incident 999/);
  }
});

test('hostile incident requests (garbage, deep nesting, oversized notes) are refused and open nothing', async () => {
  const before = (await json('/api/v1/incidents')).body.incidents.length;
  const garbage = Buffer.alloc(2048);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) % 256;
  const raw = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: garbage });
  assert.equal(raw.status, 400);
  assert.equal((await raw.json()).error.code, 'bad-json');
  const now = Date.now();
  const deep = `{"from":${now},"to":${now},"units":["u"],"place":${'{"place":'.repeat(20_000)}{"lat":1,"lon":1}${'}'.repeat(20_000)}}`;
  const nested = await fetch(`${base}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
  assert.equal(nested.status, 400);
  const long = await post('/api/v1/incidents', { from: now, to: now, units: ['u'], note: 'x'.repeat(4001) });
  assert.equal(long.status, 400);
  assert.equal(long.body.error.field, 'note');
  const many = await post('/api/v1/incidents', { from: now, to: now, units: Array.from({ length: 101 }, (_, i) => `u${i}`) });
  assert.equal(many.status, 400);
  assert.equal((await json('/api/v1/incidents')).body.incidents.length, before);
});

test('the server shows its evidence key, kept beside the store with the private half readable by its owner only', async () => {
  const { body } = await json('/api/v1/evidence/key');
  assert.equal(body.algorithm, 'Ed25519');
  assert.equal(body.fingerprint, keyFingerprint(body.public_key));
  const files = evidenceKeyFiles(tmp.file('api.db'));
  assert.equal(statSync(files.privateFile).mode & 0o777, 0o600);
});

test('the incident\'s bundle verifies and its report is a self-contained page', async () => {
  const bundle = await fetch(`${base}/api/v1/incidents/1/bundle`);
  assert.match(bundle.headers.get('content-disposition') ?? '', /incident-1-bundle\.json/);
  const verdict = verifyBundle(parseBundle(await bundle.text(), 'incident-1-bundle.json'));
  assert.equal(verdict.ok, true, verdict.problem ?? '');
  assert.equal(verdict.records.fix, 42);
  const report = await fetch(`${base}/api/v1/incidents/1/report?lang=es`);
  assert.match(report.headers.get('content-type') ?? '', /text\/html/);
  const html = await report.text();
  assert.match(html, /<html lang="es">/);
  assert.doesNotMatch(html, /<script|<link|src="http/);
});
