// After one load the phone needs no server: the service worker has the app and the boundary, the card
// answers new positions, and at no point does a request leave the machine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldReady, openPhone, screenshot, startFieldServer, waitForDistance, type FieldServer, type Phone } from './harness.js';
import { lindero, nearClint } from './places.js';

describe('field mode offline', () => {
  let server: FieldServer;
  let serverStopped = false;
  let phone: Phone;

  before(async () => {
    server = await startFieldServer();
    phone = await openPhone(server.origin, { ...nearClint(25), accuracyM: 5 });
  });

  after(async () => {
    const foreign = phone?.foreignRequests ?? [];
    await phone?.close();
    if (!serverStopped) await server?.close();
    assert.deepEqual(foreign, [], 'no request left the machine');
  });

  it('is an installable app: a manifest with name, start, display and icons that exist at their size, and a service worker that controls the page', async () => {
    // The criteria browsers install a web app by (a manifest and a service worker), checked on what lindero serves,
    // not through a browser's own installability report, whose reasons and wording are the browser's.
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
    const href = await phone.page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(href!, `${server.origin}/field/`);
    assert.equal(manifestUrl.href, `${server.origin}/field/manifest.webmanifest`);
    const manifest = await (await fetch(manifestUrl)).json() as {
      name: string; short_name: string; start_url: string; scope: string; display: string; icons: { src: string; sizes: string; type: string }[];
    };
    assert.equal(manifest.name, 'lindero · field');
    assert.equal(manifest.short_name, 'lindero');
    assert.equal(new URL(manifest.start_url, manifestUrl).href, `${server.origin}/field/`);
    assert.equal(new URL(manifest.scope, manifestUrl).href, `${server.origin}/field/`);
    assert.equal(manifest.display, 'standalone');
    assert.deepEqual([...new Set(manifest.icons.map((i) => i.sizes))].sort(), ['192x192', '512x512']);
    for (const icon of manifest.icons) {
      const response = await fetch(new URL(icon.src, manifestUrl));
      assert.equal(response.status, 200, icon.src);
      const png = Buffer.from(await response.arrayBuffer());
      assert.equal(icon.type, 'image/png');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${icon.src} is a PNG`);
      assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.sizes, `${icon.src} is as large as it says`);
    }
    await phone.page.reload();
    await fieldReady(phone.page);
    assert.equal(await phone.page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${server.origin}/field/sw.js`);
  });

  it('without location permission the page says how to allow it', async () => {
    const context = await phone.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/field/`);
      const status = page.locator('#gps-status');
      await page.waitForFunction(() => document.getElementById('gps-status')?.classList.contains('problem'), undefined, { timeout: 15_000 });
      // innerText is what is rendered: the words are set with the class, and are shown once the page is laid out.
      await page.waitForFunction(() => (document.getElementById('gps-status')?.innerText ?? '') !== '', undefined, { timeout: 15_000 });
      assert.equal(await status.innerText(), "Location is not allowed for this page. Allow it in the browser's site settings, then reload.");
      assert.equal(await page.locator('.field-card').count(), 0, 'no card without a position');
    } finally {
      await context.close();
    }
  });

  it('with the server gone, a reload still starts the app, the card answers new positions and the page says no server answers', async () => {
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
    const places = [25, -3, -150].map((metres) => nearClint(metres));
    // The expected answers are asked of the server while it still runs; the phone gets nothing from it after.
    const expected = await Promise.all(places.map((p) => lindero(server.origin, p.lat, p.lon, 5)));
    await server.close();
    serverStopped = true;
    await phone.page.reload();
    await fieldReady(phone.page);
    assert.equal(await phone.page.evaluate(() => navigator.serviceWorker.controller !== null), true, 'the page came from the service worker');
    for (const [i, p] of places.entries()) {
      await phone.setPosition(p.lat, p.lon, 5);
      await waitForDistance(phone.page, expected[i].boundary.distance_m);
      assert.equal(await phone.page.locator('.field-card').getAttribute('data-territory'), expected[i].territory);
    }
    await phone.page.waitForFunction(() => document.getElementById('net-status')?.dataset.state === 'silent', undefined, { timeout: 30_000 });
    assert.equal(await phone.page.locator('#net-status').innerText(), 'No server answering');
    await screenshot(phone.page, 'field-offline', { fullPage: true });
  });
});
