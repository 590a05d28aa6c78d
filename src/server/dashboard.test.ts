import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildLayers, type Layers } from '../geo/index.js';
import { loadDefaultBoundary } from '../layers/node.js';
import { dashboardConfig, dashboardPlugin } from './dashboard.js';

const FENCES = {
  type: 'FeatureCollection' as const,
  features: [{
    type: 'Feature' as const,
    properties: { name: 'Test fence', illustrative: true, provenance: 'drawn for a test' },
    geometry: { type: 'LineString' as const, coordinates: [[-106.70, 31.7842], [-106.56, 31.7842]] },
  }],
};

describe('dashboard plugin', () => {
  let layers: Layers;
  let root: string;

  before(() => {
    layers = buildLayers(loadDefaultBoundary(), FENCES, { boundaryFile: 'default', fenceFile: 'fences.geojson' });
    root = mkdtempSync(join(tmpdir(), 'lindero-web-'));
    mkdirSync(join(root, 'assets'));
    mkdirSync(join(root, 'basemap'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>map</title>');
    writeFileSync(join(root, 'card.html'), '<!doctype html><title>card</title>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'export {};');
    writeFileSync(join(root, 'basemap', 'places.json'), '{"type":"FeatureCollection","features":[]}');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  async function app(webRoot: string): Promise<FastifyInstance> {
    const a = Fastify();
    await a.register(dashboardPlugin, { layers, webRoot });
    return a;
  }

  test('the U.S.–Mexico boundary spans the Pacific to the Gulf, and its credit and the fence reach the map', () => {
    const config = dashboardConfig(layers);
    const [west, south, east, north] = config.bbox;
    assert.ok(west > -117.5 && west < -117.4, `west ${west}`); // the maritime line's end off Tijuana
    assert.ok(east > -97 && east < -96.9, `east ${east}`); // and off the Rio Grande mouth
    assert.ok(south > 25.8 && south < 25.9 && north > 32.7 && north < 32.8);
    assert.deepEqual(config.territories.sort(), ['MX', 'US']);
    assert.match(config.boundaries[0].provenance ?? '', /OpenStreetMap/);
    assert.deepEqual(config.fences, [{ name: 'Test fence', territory: 'US', illustrative: true, provenance: 'drawn for a test' }]);
  });

  test('the built app is served at /, the card at /card, and hashed assets are cached for good', async () => {
    const a = await app(root);
    const index = await a.inject('/');
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /<title>map<\/title>/);
    assert.equal(index.headers['cache-control'], 'no-cache');
    const card = await a.inject('/card?lat=31.73&lon=-106.487');
    assert.equal(card.statusCode, 200);
    assert.match(card.body, /<title>card<\/title>/);
    assert.match(String(card.headers['content-type']), /text\/html/);
    const asset = await a.inject('/assets/index-abc123.js');
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    assert.equal((await a.inject('/basemap/places.json')).statusCode, 200);
    assert.equal((await a.inject('/dashboard/config.json')).json().territories.length, 2);
    await a.close();
  });

  test('paths outside the app folder are refused', async () => {
    const a = await app(root);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      const r = await a.inject(path);
      assert.ok(r.statusCode === 404 || r.statusCode === 403 || r.statusCode === 400, `${path}: ${r.statusCode}`);
    }
    await a.close();
  });

  test('an unbuilt dashboard answers 503 saying how to build it, and the API config still works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lindero-web-empty-'));
    try {
      const a = await app(empty);
      for (const path of ['/', '/card']) {
        const r = await a.inject(path);
        assert.equal(r.statusCode, 503);
        assert.match(r.body, /npm run build:web/);
        assert.match(r.body, /index\.html is missing/);
      }
      assert.equal((await a.inject('/dashboard/config.json')).statusCode, 200);
      await a.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
