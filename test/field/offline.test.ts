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

  it('is an installable app: manifest, icons and a service worker that controls the page', async () => {
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
    const cdp = await phone.context.newCDPSession(phone.page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors') as { installabilityErrors: { errorId: string }[] };
    // A test browser context is incognito, which is the one reason Chrome would not offer to install it.
    assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
    const manifest = await cdp.send('Page.getAppManifest') as { errors: unknown[]; url: string };
    assert.deepEqual(manifest.errors, []);
    assert.equal(manifest.url, `${server.origin}/field/manifest.webmanifest`);
    await cdp.detach();
  });

  it('without location permission the page says how to allow it', async () => {
    const context = await phone.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}/field/`);
      const status = page.locator('#gps-status');
      await page.waitForFunction(() => document.getElementById('gps-status')?.classList.contains('problem'), undefined, { timeout: 15_000 });
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
