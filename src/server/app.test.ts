// The HTTP API through buildApp and inject (no socket): what each route answers, its error shape and headers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { tempDir } from '../../test/helpers/temp.js';
import { fixAt, parallelLayers } from '../../test/helpers/track-support.js';
import { whereJson } from '../answer/index.js';
import { formatMgrs } from '../coords/index.js';
import { classify } from '../geo/index.js';
import { AlertRules, EventHub, Pipeline } from '../live/index.js';
import { trackRulesEngine } from '../rules/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { buildApp } from './app.js';

const layers = parallelLayers(false);
const tmp = tempDir('lindero-app-');
let store: Store;

async function app(authRequired = false): Promise<FastifyInstance> {
  const hub = new EventHub();
  const pipeline = new Pipeline({ store, layers, hub, rules: new AlertRules(trackRulesEngine(), store), log: { error: () => {} } });
  await pipeline.start();
  return buildApp({ context: { store, layers, pipeline, hub, defaultAccuracyM: 20 }, authRequired });
}

describe('the HTTP API, injected', () => {
  before(async () => { store = await openSqliteStore(tmp.file('app.db')); });
  after(async () => {
    await store.close();
    tmp.remove();
  });

  it('GET /where answers the same object `lindero where --json` prints, with the assumed accuracy said', async () => {
    const api = await app();
    const p = fixAt('x', 0, -120);
    const res = await api.inject({ url: `/api/v1/where?lat=${p.lat}&lon=${p.lon}` });
    assert.equal(res.statusCode, 200);
    const expected = whereJson(classify({ lat: p.lat, lon: p.lon, accuracyM: null }, layers, { defaultAccuracyM: 20 }), formatMgrs(p.lat, p.lon));
    assert.deepEqual(res.json(), JSON.parse(JSON.stringify(expected)));
    assert.equal(res.json().territory, 'MX');
    assert.equal(res.json().accuracy_assumed, true);
    await api.close();
  });

  it('a latitude out of range is a 400 in the one error shape, naming the field; no stack trace', async () => {
    const api = await app();
    const res = await api.inject({ url: '/api/v1/where?lat=91&lon=-106' });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.error.field, 'lat');
    assert.equal(typeof body.error.code, 'string');
    assert.doesNotMatch(res.body, /\bat [\w.]+ \(/);
    await api.close();
  });

  it('POST /fixes answers after the commit: the good fixes stored, the bad one listed by index and field', async () => {
    const api = await app();
    const a = fixAt('inject-1', 0, 300), b = fixAt('inject-1', 0, -300);
    const now = Date.now();
    const res = await api.inject({
      method: 'POST', url: '/api/v1/fixes',
      payload: [
        { unit: 'inject-1', time: now - 20_000, lat: a.lat, lon: a.lon, accuracy_m: 5 },
        { unit: 'inject-1', time: now - 10_000, lat: 95, lon: a.lon },
        { unit: 'inject-1', time: now, lat: b.lat, lon: b.lon, accuracy_m: 5 },
      ],
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.accepted, 2);
    assert.deepEqual(body.rejected.map((r: { index: number }) => r.index), [1]);
    assert.match(body.rejected[0].reason, /lat/);
    const track = await store.track('inject-1');
    assert.deepEqual(track.map((f) => f.determination.territory), ['US', 'MX']);
    const units = (await api.inject({ url: '/api/v1/units' })).json().units;
    assert.deepEqual(units.map((u: { unit: string; fix_count: number }) => [u.unit, u.fix_count]), [['inject-1', 2]]);
    await api.close();
  });

  it('beyond loopback the API refuses a request without a key, in the same error shape', async () => {
    const api = await app(true);
    const res = await api.inject({ url: '/api/v1/units' });
    assert.equal(res.statusCode, 401);
    assert.equal(typeof res.json().error.code, 'string');
    await api.close();
  });

  it('every answer carries the security headers: a content security policy, no framing, no referrer', async () => {
    const api = await app();
    const res = await api.inject({ url: '/api/v1/units' });
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    await api.close();
  });
});
