// Field mode's start: the page is not drawn until its first answer is on the card (one drawing with the
// answer instead of one without it a moment before), but never kept undrawn while it waits: with no position
// and the boundary still on its way, the person sees within a moment that the boundary is loading and that
// the page has no position.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Route } from 'playwright-core';
import { CHROMIUM_ARGS, startFieldServer, type FieldServer } from './harness.js';
import { CHROMIUM, requireChromium } from '../helpers/browser.js';

/** A phone without the service worker (each start is a first visit) and, unless given, without location. */
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US', serviceWorkers: 'block' as const };

describe('field mode start', () => {
  let server: FieldServer;
  let browser: Browser;
  const held: Route[] = [];

  before(async () => {
    requireChromium();
    server = await startFieldServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await Promise.all(held.map((route) => route.abort().catch(() => undefined)));
    await browser?.close();
    await server?.close();
  });

  it('is drawn while the boundary is still loading and no position has come', async () => {
    // Location not allowed, and the boundary's files held unanswered: no answer can be given.
    const context = await browser.newContext(PHONE);
    await context.route(/\/layers\//, (route) => {
      held.push(route);
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}/field/`);
    const loading = page.locator('#fix .no-fix');
    await loading.waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(await loading.innerText(), 'Loading the boundary…');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.starting), undefined, 'the page is drawn');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined, 'the boundary has not come');
    assert.match(await page.locator('#gps-status').innerText(), /^Location is not allowed/);
    await context.close();
  });

  it('is drawn within 3 s even when the app\'s script never runs', async () => {
    const context = await browser.newContext(PHONE);
    await context.route(/\/assets\/index-[^/]*\.js$/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${server.origin}/field/`);
    await page.waitForFunction(() => !('starting' in document.documentElement.dataset), undefined, { timeout: 5_000 });
    await context.close();
  });

  it('is drawn with its first answer when the boundary and a position come', async () => {
    const context = await browser.newContext({
      ...PHONE,
      geolocation: { latitude: 31.45, longitude: -106.1, accuracy: 5 }, permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}/field/`);
    await page.locator('.field-card').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.starting), undefined, 'the page is drawn');
    await context.close();
  });
});
