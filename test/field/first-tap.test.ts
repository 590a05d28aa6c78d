// The first tap counts: the banner offering sound and compass goes away on the first touch anywhere, and
// nothing on the page moves when it does, so a first tap on "Show the other side" opens the other side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPhone, screenshot, startFieldServer, waitForDistance, type FieldServer, type Phone } from './harness.js';
import { lindero, nearClint } from './places.js';

describe('field mode: the first tap', () => {
  let server: FieldServer;
  let phone: Phone;

  before(async () => {
    server = await startFieldServer();
    const p = nearClint(40);
    phone = await openPhone(server.origin, { ...p, accuracyM: 5 });
    await waitForDistance(phone.page, (await lindero(server.origin, p.lat, p.lon, 5)).boundary.distance_m);
  });

  after(async () => {
    await phone?.close();
    await server?.close();
  });

  it('a first tap on "Show the other side" lands on it, and the page does not move under the finger', async () => {
    const page = phone.page;
    assert.ok(await page.locator('#unlock').isVisible(), 'the banner is offered until the first touch');
    await screenshot(page, 'field-first-tap-before');
    const button = page.locator('#show-other-side');
    const before = await button.boundingBox();
    // Where the button's top is on screen at pointerdown and at pointerup (the banner goes at pointerdown).
    await page.evaluate(() => {
      const b = document.getElementById('show-other-side')!;
      const w = window as unknown as { __tops: Record<string, number> };
      w.__tops = {};
      for (const type of ['pointerdown', 'pointerup', 'click']) {
        document.addEventListener(type, () => { w.__tops[type] = b.getBoundingClientRect().top; }, { capture: true });
      }
    });
    await page.touchscreen.tap(before!.x + before!.width / 2, before!.y + before!.height / 2);
    await page.locator('#other-side .card-qr svg').waitFor();
    assert.equal(await page.locator('#unlock').isVisible(), false, 'the banner is gone');
    const tops = await page.evaluate(() => (window as unknown as { __tops: Record<string, number> }).__tops);
    assert.equal(tops.pointerup, tops.pointerdown, `the button moved from ${tops.pointerdown} to ${tops.pointerup} px`);
    assert.equal(tops.click, tops.pointerdown);
    await screenshot(page, 'field-first-tap-other-side');
    await page.click('#close-other-side');
    assert.deepEqual(await button.boundingBox(), before, 'nothing moved once the banner went');
  });
});
