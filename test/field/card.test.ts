// Field mode on a phone: the card for the phone's own position near Clint, its warnings, the other side's card
// and the compass arrow, against a real `lindero serve` and Debian's chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compassPoint, formatDistance } from '../../src/answer/index.js';
import { classify } from '../../src/geo/index.js';
import { seeded } from '../helpers/geodesic-oracle.js';
import { defaultLayers } from './fixtures.js';
import { openPhone, screenshot, startFieldServer, waitForDistance, type FieldServer, type Phone } from './harness.js';
import { lindero, nearClint, offsetAtDistance } from './places.js';

const SIDE_CHANGE = [700, 200, 700];
const APPROACH = [300];
const layers = defaultLayers();

describe('field mode: the card for the phone’s own position', () => {
  let server: FieldServer;
  let phone: Phone;
  const text = (selector: string) => phone.page.locator(selector).innerText();
  const vibrationsLike = async (pattern: number[]) => (await phone.vibrations()).filter((p) => JSON.stringify(p) === JSON.stringify(pattern)).length;

  /** Sets the phone's position and waits for the card to show what `lindero where` says about it. */
  async function moveTo(p: { lat: number; lon: number }, accuracyM = 5) {
    const where = await lindero(server.origin, p.lat, p.lon, accuracyM);
    await phone.setPosition(p.lat, p.lon, accuracyM);
    await waitForDistance(phone.page, where.boundary.distance_m);
    return where;
  }

  before(async () => {
    server = await startFieldServer();
    phone = await openPhone(server.origin, { ...nearClint(0.3), accuracyM: 5 });
  });

  after(async () => {
    const foreign = phone?.foreignRequests ?? [];
    await phone?.close();
    await server?.close();
    assert.deepEqual(foreign, [], 'no request left the machine');
  });

  it('a point 30 cm north of the Rio Grande near Clint shows US territory at the distance `lindero where` gives', async () => {
    const p = nearClint(0.3);
    const where = await lindero(server.origin, p.lat, p.lon, 5);
    assert.equal(where.territory, 'US');
    await waitForDistance(phone.page, where.boundary.distance_m);
    assert.equal(await phone.page.locator('.field-card').getAttribute('data-territory'), 'US');
    assert.equal(await text('.fix-territory .primary'), 'United States territory');
    assert.equal(await text('.fix-territory .secondary'), 'Territorio de Estados Unidos');
    assert.equal(await text('.fix-distance .primary'), `${formatDistance(where.boundary.distance_m, 'en')} to the line`);
    assert.equal(await text('.fix-distance .primary'), '30 cm to the line');
    const bearing = Math.round(where.boundary.bearing_deg) % 360;
    assert.equal(await text('.fix-direction .primary'), `Nearest point of the line: ${compassPoint(where.boundary.bearing_deg, 'en')} (${bearing}°)`);
    assert.equal((await text('.fix-mgrs')).replace(/^MGRS /, '').replace(/ /g, ''), where.mgrs);
    assert.equal(await text('.fix-dd'), `${where.lat.toFixed(6)}, ${where.lon.toFixed(6)}`);
    // 30 cm at ±5 m is a coin toss: the card must say so rather than guess.
    assert.equal(where.certain, false);
    assert.ok(await phone.page.locator('.fix-uncertain').isVisible());
    assert.equal(await text('.fix-quality .primary'), `Accuracy ±5 m · Confidence ${(where.confidence * 100).toFixed(2)}%`);
    const rotation = Number(await phone.page.locator('svg.arrow').getAttribute('data-rotation-deg'));
    assert.ok(Math.abs(rotation - where.boundary.bearing_deg) < 0.1, 'north up, the arrow points along the bearing to the line');
    await screenshot(phone.page, 'field-clint-30cm-north', { fullPage: true });
  });

  it('moving across the line changes the card and fires exactly one side-change warning', async () => {
    assert.equal(await vibrationsLike(SIDE_CHANGE), 0);
    const south = await moveTo(nearClint(-0.3));
    assert.equal(south.territory, 'MX');
    assert.equal(await text('.fix-territory .primary'), 'Mexico territory');
    // Further south the crossing is confirmed beyond 3σ: the same crossing, no second warning.
    for (const metres of [-5, -20, -60, -200]) await moveTo(nearClint(metres));
    assert.equal(await vibrationsLike(SIDE_CHANGE), 1);
    const sideChanges = phone.page.locator('#warning-list li[data-kind="side-change"]');
    assert.equal(await sideChanges.count(), 1);
    assert.match(await sideChanges.innerText(), /Side changed: now in Mexico/);
    assert.equal(await phone.page.locator('.fix-uncertain').isVisible(), false, '200 m at ±5 m is certain');
    await screenshot(phone.page, 'field-crossed-into-mexico', { fullPage: true });
  });

  it('GPS jitter around the warning distance fires one warning, not one per fix', async () => {
    const distanceOf = (p: { lat: number; lon: number }) => classify({ ...p, accuracyM: 5 }, layers).boundary.distanceM;
    await moveTo(nearClint(2500));
    const before = await vibrationsLike(APPROACH);
    const at500 = offsetAtDistance(500, distanceOf);
    const random = seeded(500);
    const jitter = Array.from({ length: 16 }, () => nearClint(at500 + (random() - 0.5) * 20));
    const distances = jitter.map(distanceOf);
    assert.ok(distances.some((d) => d < 500) && distances.some((d) => d > 500), 'the fixes straddle the warning distance');
    assert.ok(distances.every((d) => d < 530), 'and stay within the re-arming margin (max(25 m, 6σ) = 30 m)');
    for (const p of jitter) await moveTo(p);
    assert.equal(await vibrationsLike(APPROACH) - before, 1);
  });

  it('"Show the other side" puts the card full screen in Spanish and English with a QR code', async () => {
    const nearClintMgrs = (await moveTo(nearClint(0.3))).mgrs;
    await phone.page.click('#show-other-side');
    const overlay = phone.page.locator('#other-side');
    await overlay.locator('.card-qr svg').waitFor();
    assert.ok(await overlay.isVisible());
    const box = await overlay.boundingBox();
    assert.deepEqual([box?.x, box?.y, box?.width, box?.height], [0, 0, 390, 844], 'the card covers the screen');
    assert.equal(await overlay.locator('.card-territory-es').innerText(), 'Territorio de Estados Unidos');
    assert.equal(await overlay.locator('.card-territory-en').innerText(), 'United States territory');
    assert.equal((await overlay.locator('.card-mgrs').innerText()).replace(/^MGRS /, '').replace(/ /g, ''), nearClintMgrs);
    await screenshot(phone.page, 'field-other-side');
    await phone.page.click('#close-other-side');
    // Closing goes through the overlay's module, loaded on first use: a moment, not at once.
    await overlay.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await overlay.isVisible(), false);
  });

  it('with a compass the arrow points at the line as seen from the top of the phone', async () => {
    const where = await moveTo(nearClint(40));
    // The first tap anywhere turns on sound and compass; the button offers it until then.
    if (await phone.page.locator('#unlock').isVisible()) await phone.page.click('#unlock');
    // Chromium reports the compass as deviceorientationabsolute; alpha 270 means the top of the phone faces east.
    await phone.page.evaluate(() => window.dispatchEvent(new DeviceOrientationEvent('deviceorientationabsolute', { alpha: 270, beta: 0, gamma: 0, absolute: true })));
    const rotation = Number(await phone.page.locator('svg.arrow').getAttribute('data-rotation-deg'));
    const expected = (((where.boundary.bearing_deg - 90) % 360) + 360) % 360;
    assert.ok(Math.abs(rotation - expected) < 0.1, `arrow at ${rotation}°, expected ${expected}°`);
    assert.equal(await text('.fix-arrow-mode'), 'Arrow follows the compass');
  });

  it('after the first tap, a warning also sounds: the side-change tones once', async () => {
    const [tonesBefore, buzzesBefore] = [await phone.tones(), await vibrationsLike(SIDE_CHANGE)];
    await moveTo(nearClint(-100));
    assert.equal(await phone.tones() - tonesBefore, 4, 'four tones, once');
    assert.equal(await vibrationsLike(SIDE_CHANGE) - buzzesBefore, 1);
  });

  it('the warning distance is settable: at 1 km, 800 m from the line warns', async () => {
    const distanceOf = (p: { lat: number; lon: number }) => classify({ ...p, accuracyM: 5 }, layers).boundary.distanceM;
    await moveTo(nearClint(2500));
    await phone.page.click('#open-settings');
    await phone.page.fill('input[name="warningDistanceM"]', '1000');
    await phone.page.click('#settings-save');
    const before = await vibrationsLike(APPROACH);
    await moveTo(nearClint(offsetAtDistance(1500, distanceOf)));
    assert.equal(await vibrationsLike(APPROACH), before, '1.5 km is outside');
    await moveTo(nearClint(offsetAtDistance(800, distanceOf)));
    assert.equal(await vibrationsLike(APPROACH), before + 1);
    assert.equal(await phone.page.locator('#warning-list li').first().locator('span').innerText(), 'Closer than 1 km to the line');
  });

  it('one tap switches the page to Spanish, English still beneath', async () => {
    await phone.page.click('#lang');
    assert.equal(await text('.fix-territory .primary'), 'Territorio de Estados Unidos');
    assert.equal(await text('.fix-territory .secondary'), 'United States territory');
    assert.equal(await text('#show-other-side'), 'Mostrar al otro lado');
    assert.equal(await text('h1'), 'lindero · campo');
    await screenshot(phone.page, 'field-spanish', { fullPage: true });
    await phone.page.click('#lang');
  });
});
