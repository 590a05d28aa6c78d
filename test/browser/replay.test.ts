// Replay in Debian's chromium against a real lindero server: a recorded crossing drawn by territory,
// the crossing marked, and the unit moved along its track by play and by the time slider.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dashboardReady, launchBrowser, mapIdle, screenshot, sendFixes, startTestServer, type Browser, type TestServer, type FixInput } from './harness.js';

/** delta walks south across the line west of El Paso (31.7838°N) in 20 fixes a minute apart. */
function walk(startMs: number): FixInput[] {
  return Array.from({ length: 20 }, (_, i) => ({
    unit: 'delta', time: new Date(startMs + i * 60_000).toISOString(),
    lat: 31.7900 - i * 0.0007, lon: -106.6600 + i * 0.0004, accuracy_m: 5, course_deg: 155,
  }));
}

const rendered = (page: Page, layer: string) =>
  page.evaluate((id) => window.lindero!.map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties), layer);

describe('replay', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const start = Date.now() - 40 * 60_000;

  before(async () => {
    server = await startTestServer();
    await sendFixes(server.origin, walk(start));
    browser = await launchBrowser(server.origin);
    page = await browser.open('/');
    await dashboardReady(page);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('loading a unit’s track draws it by territory with its crossing marked', async () => {
    await page.click('#mode-replay');
    assert.equal(await page.isVisible('#replay'), true);
    assert.equal(await page.isChecked('#replay-units input[value="delta"]'), true);
    await page.click('#replay-load');
    await page.waitForFunction(() => /20 fixes, 1 crossing/.test(document.getElementById('replay-summary')!.textContent ?? ''));
    await mapIdle(page, 'map.fitBounds([[-106.661, 31.776], [-106.652, 31.791]], { animate: false, padding: 40 })');
    const runs = await rendered(page, 'replay-track');
    assert.deepEqual([...new Set(runs.map((r) => r.territory))].sort(), ['MX', 'US']);
    const crossings = await rendered(page, 'replay-crossing');
    assert.equal(crossings.length, 1);
    assert.equal(crossings[0].from, 'US');
    assert.equal(crossings[0].to, 'MX');
    // Live units are hidden while replaying.
    assert.equal((await rendered(page, 'unit-dot')).length, 0);
  });

  test('the time slider and play move the replayed unit along its track', async () => {
    const at = async () => {
      await mapIdle(page);
      return (await page.evaluate(() => window.lindero!.map.queryRenderedFeatures({ layers: ['replay-unit'] })
        .map((f) => (f.geometry as GeoJSON.Point).coordinates[1])))[0];
    };
    await page.locator('#replay-slider').fill('0');
    const first = await at();
    assert.ok(Math.abs(first - 31.79) < 1e-4, `at the start delta is at ${first}`);
    await page.locator('#replay-slider').fill('500');
    const middle = await at();
    assert.ok(middle < first, 'half way it is further south');
    await page.selectOption('#replay-speed', '1800');
    // Click and read the label in one task of the page: at 1800× a short track can play out before a
    // second round trip from the test would see it.
    const label = await page.evaluate(() => {
      const button = document.getElementById('replay-play')!;
      button.click();
      return button.textContent;
    });
    assert.equal(label, 'Pause');
    // Playing runs to the end of the track and stops there.
    await page.waitForFunction(() => (document.getElementById('replay-slider') as HTMLInputElement).value === '1000'
      && document.getElementById('replay-play')!.textContent === 'Play');
    const end = await at();
    assert.ok(Math.abs(end - (31.79 - 19 * 0.0007)) < 1e-4, `at the end delta is at ${end}`);
    await screenshot(page, 'replay');
  });

  test('replay made no request to any host other than the server under test', () => {
    assert.deepEqual(browser.foreignRequests, []);
  });
});
