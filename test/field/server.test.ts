// lindero serve hands out the field app at /field: the page, its service worker and the boundary, with
// cache headers that let a phone pick up a new version, and a plain answer when the app is not built.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FeatureCollection } from 'geojson';
import { loadDefaultBoundary } from '../../src/layers/node.js';
import { fieldPlugin } from '../../src/server/field.js';
import { startFieldServer, type FieldServer } from './harness.js';

describe('lindero serve at /field', () => {
  let server: FieldServer;
  const get = (path: string) => fetch(`${server.origin}${path}`, { redirect: 'manual' });

  before(async () => {
    server = await startFieldServer();
  });

  after(async () => {
    await server?.close();
  });

  it('sends /field to /field/, where the service worker’s scope begins, keeping the query', async () => {
    const response = await get('/field?lang=es');
    assert.equal(response.status, 301);
    assert.equal(response.headers.get('location'), '/field/?lang=es');
  });

  it('serves the page, the manifest, the service worker and the boundary, none cached without asking again', async () => {
    const page = await get('/field/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    assert.match(html, /<link rel="manifest" href="\.\/manifest\.webmanifest">/);
    for (const [path, type] of [['/field/sw.js', /javascript/], ['/field/manifest.webmanifest', /manifest\+json/], ['/field/layers/us-mx-boundary.geojson', /geo\+json/]] as const) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', type, path);
      assert.equal(response.headers.get('cache-control'), 'no-cache', path);
    }
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await get(`/field/${script}`);
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable', 'hashed files never change');
  });

  it('ships the same default boundary as the server uses', async () => {
    const shipped = await (await get('/field/layers/us-mx-boundary.geojson')).json() as FeatureCollection;
    const used = loadDefaultBoundary();
    assert.deepEqual(shipped.features.map((f) => f.geometry), used.features.map((f) => f.geometry), 'the same lines, vertex for vertex');
    assert.equal(shipped.features[0].properties!.left, 'US');
    assert.equal(shipped.features[0].properties!.right, 'MX');
    assert.equal(shipped.features[0].properties!.license, 'ODbL-1.0');
  });

  it('leaves the dashboard and the API where they were', async () => {
    assert.equal((await get('/api/v1/where?lat=31.7587&lon=-106.4869')).status, 200);
    assert.notEqual((await get('/')).status, 404);
  });
});

describe('field mode not built', () => {
  it('answers 503 naming the missing file and the command that builds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lindero-field-empty-'));
    const app = Fastify();
    await app.register(fieldPlugin, { fieldRoot: dir });
    try {
      for (const url of ['/field', '/field/', '/field/sw.js']) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 503, url);
        assert.match(response.body, /index\.html is missing\. Run "npm run build:field"/);
      }
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
