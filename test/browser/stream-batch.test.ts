// The dashboard on the batched stream (GET /api/v1/stream?batch=1&ack=1&units=0), in Debian's chromium against a
// real lindero server fed through its real ingest: units arriving in batches are drawn, a crossing reaches the
// alerts panel in a frame of its own, and the page acknowledges every batch it takes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dashboardReady, launchBrowser, mapIdle, screenshot, sendFixes, startTestServer, type Browser, type TestServer } from './harness.js';

const NOW = Date.now();
const iso = (agoMs: number) => new Date(NOW - agoMs).toISOString();
const UNITS = 60;

/** 60 units spread over 4 km north and south of the line west of El Paso (along 31.7838° N). */
const spread = (k: number, agoMs: number) => ({
  unit: `walker-${k}`, time: iso(agoMs), lat: 31.7838 + 0.018 * Math.sin(k * 1.7), lon: -106.64 + 0.02 * Math.cos(k * 2.3), accuracy_m: 5,
});

describe('the dashboard on the batched stream', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const streamUrls: string[] = [];
  const received: string[] = [];
  const sent: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser(server.origin);
    page = await browser.open('/', (p) => {
      p.on('websocket', (ws) => {
        streamUrls.push(ws.url());
        ws.on('framereceived', (f) => received.push(String(f.payload)));
        ws.on('framesent', (f) => sent.push(String(f.payload)));
      });
    });
    await dashboardReady(page);
    await mapIdle(page, 'map.jumpTo({ center: [-106.64, 31.7838], zoom: 12 })');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the dashboard asks for batches with acknowledgements and without unit summaries', () => {
    assert.equal(streamUrls.length, 1);
    const url = new URL(streamUrls[0]);
    assert.equal(url.pathname, '/api/v1/stream');
    assert.deepEqual(Object.fromEntries(url.searchParams), { batch: '1', ack: '1', units: '0' });
  });

  test('units first seen in batches are all drawn on the map, where their last fixes put them', async () => {
    await sendFixes(server.origin, Array.from({ length: UNITS }, (_, k) => spread(k, 120_000)));
    // Each unit moves 100 m north: what is drawn is the latest fix.
    await sendFixes(server.origin, Array.from({ length: UNITS }, (_, k) => ({ ...spread(k, 60_000), lat: spread(k, 0).lat + 0.0009 })));
    const expected = Object.fromEntries(Array.from({ length: UNITS }, (_, k) => [`walker-${k}`, spread(k, 0).lat + 0.0009]));
    const drawnNow = () => page.evaluate(() => {
      const { map, layers } = window.lindero!;
      return map.queryRenderedFeatures({ layers: [layers.units] })
        .filter((f) => String(f.properties.unit).startsWith('walker-'))
        .map((f) => ({ unit: String(f.properties.unit), lat: (f.geometry as GeoJSON.Point).coordinates[1] }));
    });
    await page.waitForFunction((want) => {
      const { map, layers } = window.lindero!;
      const moved = map.queryRenderedFeatures({ layers: [layers.units] })
        .filter((f) => Math.abs((f.geometry as GeoJSON.Point).coordinates[1] - (want[String(f.properties.unit)] ?? NaN)) < 1e-4);
      return new Set(moved.map((f) => f.properties.unit)).size === Object.keys(want).length;
    }, expected, { timeout: 60_000 });
    const drawn = await drawnNow();
    for (const d of drawn) assert.ok(Math.abs(d.lat - expected[d.unit]) < 1e-4, `${d.unit} drawn at its latest fix (${d.lat})`);
    assert.equal(new Set(drawn.map((d) => d.unit)).size, UNITS);

    const batches = received.filter((t) => t.startsWith('{"type":"batch"'));
    assert.ok(batches.length > 0, 'the fixes came in batch frames');
    const inBatches = batches.flatMap((t) => (JSON.parse(t) as { events: { type: string; fix?: { unit: string } }[] }).events);
    assert.ok(inBatches.some((e) => e.type === 'fix' && e.fix!.unit.startsWith('walker-')));
    assert.ok(inBatches.every((e) => e.type !== 'unit'), 'no unit summaries');
    assert.ok(received.every((t) => !t.startsWith('{"type":"fix"') && !t.startsWith('{"type":"unit"')), 'no fix alone');
    assert.ok(sent.filter((t) => t === 'ack').length >= 1, 'the page acknowledged the batches it took');
    assert.ok(sent.every((t) => t === 'ack'), `the page sends nothing but acks (sent: ${[...new Set(sent)].join(', ')})`);
    await screenshot(page, 'dashboard-batched-units');
  });

  test('a crossing reaches the alerts panel in a frame of its own, and its unit is drawn', async () => {
    await sendFixes(server.origin, [
      { unit: 'crosser', time: iso(50_000), lat: 31.7900, lon: -106.6400, accuracy_m: 5 },
      { unit: 'crosser', time: iso(40_000), lat: 31.7720, lon: -106.6400, accuracy_m: 5 },
    ]);
    await page.waitForSelector('#alerts li.alert-crossing', { timeout: 60_000 });
    const text = (await page.textContent('#alerts li.alert-crossing')) ?? '';
    assert.match(text, /Crossed the boundary/);
    assert.match(text, /crosser/);
    const alone = received.filter((t) => t.startsWith('{"type":"alert"')).map((t) => JSON.parse(t) as { alert: { unit: string; kind: string } });
    assert.ok(alone.some((f) => f.alert.unit === 'crosser' && f.alert.kind === 'crossing'), 'the crossing came alone, not in a batch');
    assert.ok(received.filter((t) => t.startsWith('{"type":"batch"')).every((t) => !t.includes('"kind":"crossing"')), 'never inside a batch');
    await page.waitForFunction(() => window.lindero!.map.queryRenderedFeatures({ layers: [window.lindero!.layers.units] })
      .some((f) => f.properties.unit === 'crosser' && f.properties.territory === 'MX'), undefined, { timeout: 60_000 });
    await screenshot(page, 'dashboard-batched-crossing');
  });

  test('the page made no request to any host other than the server under test', () => {
    assert.deepEqual(browser.foreignRequests, []);
  });
});
