// The position card in Debian's chromium against a real lindero server: right territory and distance in
// Spanish and English at once, a QR code that reads back as the same facts, one printed page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { formatDistance } from '../../src/answer/index.js';
import { buildLayers, classify, type Layers } from '../../src/geo/index.js';
import { loadDefaultBoundary } from '../../src/layers/node.js';
import { launchBrowser, screenshot, sendFixes, startTestServer, type Browser, type TestServer } from './harness.js';

// Ciudad Juárez, south of the Rio Grande opposite downtown El Paso; and El Paso itself.
const JUAREZ = { lat: 31.7300, lon: -106.4870 };
const EL_PASO = { lat: 31.7700, lon: -106.4600 };

async function openCard(browser: Browser, path: string): Promise<Page> {
  const page = await browser.open(path);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 120_000 });
  return page;
}

// jsqr is CommonJS with a TypeScript `export default`: under NodeNext the default import is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

describe('position card', () => {
  let server: TestServer;
  let browser: Browser;
  let layers: Layers;

  before(async () => {
    server = await startTestServer();
    layers = buildLayers(loadDefaultBoundary(), null);
    browser = await launchBrowser(server.origin);
    await browser.context.pages()[0]?.setViewportSize({ width: 390, height: 844 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a point in Ciudad Juárez reads as Mexican territory, with its distance to the line, in Spanish and English', async () => {
    const expected = classify({ ...JUAREZ, accuracyM: 5 }, layers);
    assert.equal(expected.territory, 'MX');
    const page = await openCard(browser, `/card?lat=${JUAREZ.lat}&lon=${JUAREZ.lon}&accuracy_m=5`);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await text(page, '.card-territory-es'), 'Territorio de México');
    assert.equal(await text(page, '.card-territory-en'), 'Mexico territory');
    assert.equal(await text(page, '.card-distance-es'), `a ${formatDistance(expected.boundary.distanceM, 'es')} del límite`);
    assert.equal(await text(page, '.card-distance-en'), `${formatDistance(expected.boundary.distanceM, 'en')} from the boundary`);
    assert.match(await text(page, '.card-direction-es'), /^Punto más cercano de la línea: al (norte|nor-noreste|noreste|nor-noroeste|noroeste) \(\d+°\)$/);
    assert.match(await text(page, '.card-dd'), /^31\.730000, -106\.487000$/);
    assert.match(await text(page, '.card-mgrs'), /^MGRS 13R [A-Z]{2} \d{5} \d{5}$/);
    // The percent sign's spacing is the browser's number formatting (ICU: none, a space or a narrow no-break space).
    assert.match(await text(page, '.card-quality-es'), /Precisión ±5 m · Confianza 100\s?% · Seguro/);
    await screenshot(page, 'card-juarez-phone', { fullPage: true });
    await page.close();
  });

  test('a point in El Paso reads as United States territory in both languages', async () => {
    const expected = classify({ ...EL_PASO, accuracyM: 5 }, layers);
    const page = await openCard(browser, `/card?lat=${EL_PASO.lat}&lon=${EL_PASO.lon}`);
    assert.equal(await text(page, '.card-territory-es'), 'Territorio de Estados Unidos');
    assert.equal(await text(page, '.card-territory-en'), 'United States territory');
    assert.equal(await text(page, '.card-distance-en'), `${formatDistance(expected.boundary.distanceM, 'en')} from the boundary`);
    await page.close();
  });

  test('the QR code reads back as the same facts', async () => {
    const page = await openCard(browser, `/card?lat=${JUAREZ.lat}&lon=${JUAREZ.lon}&accuracy_m=5`);
    const png = PNG.sync.read(await page.locator('.card-qr svg').screenshot());
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(code, 'QR code found');
    const facts = JSON.parse(code.data) as Record<string, unknown>;
    const expected = classify({ ...JUAREZ, accuracyM: 5 }, layers);
    assert.equal(facts.territory, 'MX');
    assert.equal(facts.other_territory, 'US');
    assert.equal(facts.lat, JUAREZ.lat);
    assert.equal(facts.lon, JUAREZ.lon);
    assert.ok(Math.abs(Number(facts.boundary_distance_m) - expected.boundary.distanceM) <= 0.05);
    assert.equal(facts.accuracy_m, 5);
    assert.equal(facts.certain, true);
    assert.equal(facts.mgrs, (await text(page, '.card-mgrs')).replace(/^MGRS /, '').replace(/ /g, ''));
    await page.close();
  });

  test('a point too close to the line for its accuracy says NOT CERTAIN in both languages', async () => {
    // 31.7838°N west of El Paso is on the line to within metres; ±50 m cannot tell the side.
    const page = await openCard(browser, '/card?lat=31.78385&lon=-106.64&accuracy_m=50');
    assert.equal(await text(page, '.card-uncertain-es'), 'NO ES SEGURO: demasiado cerca de la línea para esta precisión');
    assert.equal(await text(page, '.card-uncertain-en'), 'NOT CERTAIN: too close to the line for this accuracy');
    await page.close();
  });

  test('a unit’s card shows its latest fix, its time and the unit', async () => {
    const time = new Date(Date.now() - 90_000);
    await sendFixes(server.origin, [{ unit: 'charlie-7', time: time.toISOString(), lat: JUAREZ.lat, lon: JUAREZ.lon, accuracy_m: 5 }]);
    const page = await openCard(browser, '/card?unit=charlie-7');
    assert.equal(await text(page, '.card-territory-es'), 'Territorio de México');
    assert.equal(await text(page, '.card-unit-es'), 'Unidad charlie-7');
    assert.equal(await text(page, '.card-unit-en'), 'Unit charlie-7');
    const year = String(time.getUTCFullYear());
    assert.ok((await text(page, '.card-time-es')).includes(year));
    assert.ok((await text(page, '.card-time-en')).includes(year));
    await page.close();
  });

  test('an unknown unit or a missing position is said plainly', async () => {
    const unknown = await openCard(browser, '/card?unit=nobody');
    assert.equal(await text(unknown, '.card-error'), 'No position has been reported for unit nobody.');
    await unknown.close();
    const none = await openCard(browser, '/card');
    assert.match(await text(none, '.card-error'), /\/card\?unit=NAME/);
    await none.close();
  });

  test('a position the server refuses shows the server’s reason', async () => {
    const page = await openCard(browser, '/card?lat=95&lon=-106.5');
    const error = await text(page, '.card-error');
    assert.match(error, /^No answer: /);
    assert.match(error, /lat/);
    await page.close();
  });

  test('a unit named with markup is shown as text, never run as markup', async () => {
    const unit = '<img src=x onerror="document.body.dataset.owned=1">';
    await sendFixes(server.origin, [{ unit, time: new Date(Date.now() - 30_000).toISOString(), lat: EL_PASO.lat, lon: EL_PASO.lon }]);
    const page = await openCard(browser, `/card?unit=${encodeURIComponent(unit)}`);
    assert.equal(await text(page, '.card-unit-en'), `Unit ${unit}`);
    assert.equal(await page.locator('.position-card img').count(), 0);
    assert.equal(await page.evaluate(() => document.body.dataset.owned), undefined);
    await page.close();
  });

  test('the card fits a phone screen and prints on one page', async () => {
    const page = await openCard(browser, `/card?lat=${JUAREZ.lat}&lon=${JUAREZ.lon}&accuracy_m=5`);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflowX = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflowX, 0, 'no sideways scrolling on a phone');
    for (const format of ['Letter', 'A4'] as const) {
      const pdf = (await page.pdf({ format, printBackground: true })).toString('latin1');
      const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
      assert.equal(pages, 1, `${format}: ${pages} pages`);
    }
    await page.close();
  });

  test('the card made no request to any host other than the server under test', () => {
    assert.deepEqual(browser.foreignRequests, []);
  });
});
