// The operators' dashboard in Debian's chromium against two real `lindero serve` processes linked as
// partners (CBP, whose dashboard this is, and SEDENA), fed through their real ingest (HTTP fixes, CoT over
// TCP): partners' units drawn apart from home units with their precision and delay, canned messages both
// ways with receipts, TAK markers drawn as markers, acknowledgements shared by every operator, the alert
// history's filters, and incidents with their timeline, notes, report and bundle.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import es from '../../web/src/i18n/es.json' with { type: 'json' };
import { formatDistance } from '../../src/answer/index.js';
import { BOUNDARY_FILE, eventually, getJson, offLine, postJson, SECRET, tempDir, writeJson } from '../share/helpers.js';
import { startServe, type ServeProcess } from '../share/serve-process.js';
import { dashboardReady, ensureWebBuilt, launchBrowser, mapIdle, screenshot, type Browser } from './harness.js';
import { englishLeftIn, visibleText } from './visible-text.js';

const tmp = tempDir('lindero-operators-');
const GRID_M = 500;
/** A 500 m grid cell's centre is at most half its diagonal from the true position: ⌈250·√2⌉ m. */
const PRECISION_M = 354;
const NOW = Date.now();
const iso = (agoMs: number) => new Date(NOW - agoMs).toISOString();

let us: ServeProcess;
let mx: ServeProcess;
let browser: Browser;
let page: Page;

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));

async function post(server: ServeProcess, fixes: unknown[]): Promise<void> {
  const r = await postJson(`${server.base}/api/v1/fixes`, fixes);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.accepted, fixes.length);
}

/** A spot marker, as ATAK sends one when a user drops a point on its map. */
function spotMarker(uid: string, callsign: string, lat: number, lon: number): string {
  const t = new Date().toISOString();
  const stale = new Date(Date.now() + 3_600_000).toISOString();
  return `<?xml version="1.0" encoding="UTF-8"?>\n<event version="2.0" uid="${uid}" type="b-m-p-s-m" time="${t}" start="${t}" stale="${stale}" how="h-g-i-g-o">`
    + `<point lat="${lat}" lon="${lon}" hae="0" ce="9999999" le="9999999"/><detail><contact callsign="${callsign}"/></detail></event>`;
}

async function sendCot(port: number, xml: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(xml);
  // Closed by the server once it has read the event; the markers endpoint is asked next in any case.
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  socket.destroy();
}

async function openTab(p: Page, tab: string): Promise<void> {
  await p.click(`#tab-${tab}`);
  await p.waitForFunction((id) => !document.getElementById(`${id}-section`)!.hidden, tab);
}

async function rendered(p: Page, layer: string): Promise<Record<string, unknown>[]> {
  return p.evaluate((id) => window.lindero!.map.queryRenderedFeatures({ layers: [id] }).map((f) => f.properties), layer);
}

describe('the operators\' dashboard with a partner', () => {
  // Every wait below is bounded; the whole set-up too, so a server that stops answering fails the run, not hangs it.
  before(async () => {
    await ensureWebBuilt();
    const mxConfig = writeJson(join(tmp.dir, 'mx.json'), {
      org: 'SEDENA', lang: 'es', link: { port: 0 },
      partners: [{ name: 'CBP', secret: SECRET, lang: 'en', policy: { boundary_within_m: 5000, grid_m: GRID_M, delay_s: 0 } }],
    });
    mx = await startServe(['--db', join(tmp.dir, 'mx.db'), '--boundary', BOUNDARY_FILE, '--partners', mxConfig]);
    const usConfig = writeJson(join(tmp.dir, 'us.json'), {
      org: 'CBP', link: { port: 0, reconnect_min_ms: 100, reconnect_max_ms: 1000 },
      partners: [{ name: 'SEDENA', url: `ws://127.0.0.1:${mx.link}`, secret: SECRET, lang: 'es', policy: { grid_m: GRID_M, delay_s: 30 } }],
    });
    // The last --cot-port wins: CBP also hears TAK clients, on a free port.
    us = await startServe(['--db', join(tmp.dir, 'us.db'), '--boundary', BOUNDARY_FILE, '--partners', usConfig, '--cot-port', '0']);
    await eventually(async () => (await getJson(`${us.base}/api/v1/partners`)).partners[0].link.state === 'connected' || undefined, 'the link');

    // SEDENA's patrol 150 m inside Mexico; CBP's bravo 100 m north of the line beside it; alpha crosses.
    await post(mx, [{ unit: 'halcon-3', time: iso(20_000), ...offLine(-150, -107.8), accuracy_m: 5 }]);
    await eventually(async () => (await getJson(`${us.base}/api/v1/units`)).units.find((u: any) => u.partner === 'SEDENA'), 'SEDENA\'s unit at CBP');
    await post(us, [
      { unit: 'alpha', time: iso(600_000), ...offLine(60, -107.95), accuracy_m: 3 },
      { unit: 'alpha', time: iso(590_000), ...offLine(-60, -107.95), accuracy_m: 3 },
      { unit: 'bravo', time: iso(10_000), ...offLine(100, -107.8), accuracy_m: 5 },
    ]);
    await sendCot(Number(us.listening.cot_tcp), spotMarker('spot-river-1', 'Huellas', offLine(300, -107.85).lat, -107.85));
    await eventually(async () => (await getJson(`${us.base}/api/v1/markers`)).markers.length > 0 || undefined, 'the marker');
    await eventually(async () => (await getJson(`${us.base}/api/v1/incidents`)).incidents.length > 0 || undefined, 'the incident');

    browser = await launchBrowser(us.base);
    page = await browser.open('/');
    await dashboardReady(page);
    await mapIdle(page, 'map.jumpTo({ center: [-107.87, 31.7834], zoom: 12 })');
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close();
    await us?.stop();
    await mx?.stop();
    tmp.remove();
  }, { timeout: 60_000 });

  test('a partner\'s unit is drawn apart from home units, with its precision circle and its delay', async () => {
    const partnerUnits = await rendered(page, 'partner-unit-dot');
    const homeUnits = await rendered(page, 'unit-dot');
    assert.deepEqual(partnerUnits.map((p) => [p.unit, p.partner, p.precision_m]), [['halcon-3', 'SEDENA', PRECISION_M]]);
    assert.ok(!homeUnits.some((p) => p.unit === 'halcon-3'), 'not drawn as a home unit');
    assert.ok((await rendered(page, 'partner-unit-precision')).length === 1, 'precision circle drawn');
    const label = String(partnerUnits[0].label);
    assert.equal(label, fill(en['partnerUnit.label'], { unit: 'halcon-3', partner: 'SEDENA', precision: formatDistance(PRECISION_M, 'en'), delay: en['partnerUnit.noDelay'] }));
    await screenshot(page, 'operators-partner-unit');
  });

  test('a marker from a TAK client is drawn as a marker, not as a unit', async () => {
    await mapIdle(page);
    const markers = await rendered(page, 'tak-marker');
    assert.deepEqual(markers.map((m) => [m.uid, m.label]), [['spot-river-1', 'Huellas']]);
    assert.ok(!(await rendered(page, 'unit-dot')).some((p) => p.unit === 'spot-river-1'));
  });

  test('the partners panel shows the link, the unit within its precision of the line, and messages both ways with receipts', async () => {
    await openTab(page, 'partners');
    const card = page.locator('.partner[data-partner="SEDENA"]');
    await card.locator('.link-state[data-state="connected"]').waitFor();
    assert.equal(await card.locator('.link-state').textContent(), en['partners.link.connected']);
    const unitText = await card.locator('.partner-units li[data-unit="halcon-3"]').textContent();
    // 150 m inside Mexico, shared to ±354 m (its cell's centre lies just north of the line): lindero says the
    // side SEDENA stated, and no more than that the unit is within the centre's distance plus 354 m of the line.
    const shared = (await getJson(`${us.base}/api/v1/units`)).units.find((u: any) => u.partner === 'SEDENA');
    const centreM = shared.last_fix.determination.boundary.distance_m;
    assert.ok(centreM < PRECISION_M, `the cell centre is ${centreM} m from the line`);
    assert.ok(unitText!.includes(fill(en['partners.lineWithin'], { distance: formatDistance(centreM + PRECISION_M, 'en') })), unitText!);
    assert.ok(unitText!.startsWith('halcon-3 in Mexico'), unitText!);

    // CBP's operator sends a canned message; its receipt comes back when SEDENA has stored it.
    await card.locator('select[name="template"]').selectOption('approaching');
    await card.locator('input[name="distance_m"]').fill('300');
    await card.locator('.send-message button[type="submit"]').click();
    const sent = card.locator('.message-out[data-template="approaching"]');
    await sent.and(page.locator('[data-status="delivered"]')).waitFor();
    const atMx = (await getJson(`${mx.base}/api/v1/partners/CBP/messages`)).messages;
    assert.equal(atMx[0].direction, 'in');
    assert.equal(await sent.locator('.message-text').textContent(), atMx[0].text_en);
    assert.equal(await sent.locator('.message-text-other').textContent(), atMx[0].text_es);

    // SEDENA answers; it shows as received, in both languages.
    const reply = await postJson(`${mx.base}/api/v1/partners/CBP/messages`, { template: 'acknowledged' });
    assert.equal(reply.status, 202);
    const received = card.locator('.message-in[data-template="acknowledged"]');
    await received.waitFor();
    assert.equal(await received.locator('.message-text').textContent(), reply.body.message.text_en);
    assert.equal(await received.locator('.message-text-other').textContent(), reply.body.message.text_es);
    await screenshot(page, 'operators-partners');
  });

  test('an acknowledgement is the server\'s: a second operator sees who and when', async () => {
    await openTab(page, 'alerts');
    const crossing = page.locator('#alerts .alert[data-kind="crossing"]').first();
    await crossing.waitFor();
    const id = Number(await crossing.getAttribute('data-alert-id'));
    // By keyboard: focus the button and press Enter.
    await crossing.locator('.alert-ack').focus();
    await page.keyboard.press('Enter');
    await crossing.locator('.alert-acked-by').waitFor();
    const acks = (await getJson(`${us.base}/api/v1/acknowledgements`)).acknowledgements;
    const ack = acks.find((a: any) => a.alert_id === id);
    assert.equal(ack.by, 'local');

    const second = await browser.open('/');
    await dashboardReady(second);
    const there = second.locator(`#alerts .alert[data-alert-id="${id}"] .alert-acked-by`);
    await there.waitFor();
    assert.ok((await there.textContent())!.startsWith(en['alerts.ackedBy'].split('{time}')[0].replace('{by}', 'local')));
    await second.close();
  });

  test('the history filters by kind and by partner, newest first', async () => {
    await openTab(page, 'history');
    await page.selectOption('#history-kind', 'crossing');
    await page.click('#history-search');
    // Opening the tab searched everything; the filtered answer replaces it.
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('#history-list .alert')).every((e) => e.dataset.kind === 'crossing')
      && document.querySelectorAll('#history-list .alert').length > 0);
    const all = (await getJson(`${us.base}/api/v1/alerts`)).alerts;
    const shown = await page.locator('#history-list .alert').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.alertId)));
    assert.deepEqual(shown, all.filter((a: any) => a.kind === 'crossing').map((a: any) => a.id).reverse());

    await page.selectOption('#history-kind', '');
    await eventually(async () => (await getJson(`${us.base}/api/v1/alerts?partner=SEDENA`)).alerts[0], 'the proximity alert with SEDENA\'s unit');
    await page.selectOption('#history-partner', 'SEDENA');
    await page.click('#history-search');
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('#history-list .alert')).every((e) => e.dataset.kind === 'proximity')
      && document.querySelectorAll('#history-list .alert').length > 0);
    const text = await page.locator('#history-list .alert').first().textContent();
    // Both units named, and the side each is on.
    assert.ok(text!.includes(fill(en['alerts.otherPartnerUnit'], { unit: 'halcon-3', partner: 'SEDENA' })), text!);
    assert.ok(text!.includes(fill(en['alerts.sideOf'], { unit: 'bravo', country: 'United States' })), text!);
    assert.ok(text!.includes(fill(en['alerts.sideOf'], { unit: 'halcon-3', country: 'Mexico' })), text!);
    await screenshot(page, 'operators-history');
  });

  test('an incident opens with its timeline and map, takes a note, and links its report and bundle', async () => {
    await openTab(page, 'incidents');
    // The crossing opened one incident for alpha (the proximity alert another, for bravo).
    const item = page.locator('#incidents .incident', { hasText: fill(en['incidents.units'], { units: 'alpha' }) });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-state'), 'open');
    await item.locator('.incident-link').click();
    await page.locator('#incident-timeline li.timeline-crossing').first().waitFor();
    assert.ok((await page.locator('#incident-timeline').textContent())!.includes(fill(en['incident.crossing'], { unit: 'alpha', from: 'United States', to: 'Mexico' })));
    await mapIdle(page);
    assert.ok((await rendered(page, 'incident-track-line')).length > 0, 'the incident\'s track is on the map');

    await page.fill('#incident-note', 'Alfa regresó al norte; se habló con SEDENA.');
    await page.click('#incident-note-form button[type="submit"]');
    await page.locator('#incident-timeline li.timeline-note').waitFor();
    assert.ok((await page.locator('#incident-timeline').textContent())!.includes('Alfa regresó al norte'));

    const links = await page.locator('#incident-links a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const [html, , pdf, bundle] = links;
    const report = await fetch(html);
    assert.equal(report.status, 200);
    assert.match(report.headers.get('content-type')!, /text\/html/);
    assert.ok((await report.text()).includes('Alfa regresó al norte'));
    const bundleResponse = await fetch(bundle);
    assert.equal(bundleResponse.status, 200);
    assert.ok(((await bundleResponse.json()) as object) !== null);
    const pdfResponse = await fetch(pdf);
    assert.equal(pdfResponse.status, 200);
    assert.equal(pdfResponse.headers.get('content-type'), 'application/pdf');
    assert.equal(Buffer.from(await pdfResponse.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
    await screenshot(page, 'operators-incident');
  });

  test('the panels speak Spanish, and the tabs move with the arrow keys', async () => {
    await page.click('button.lang[data-lang="es"]');
    await page.focus('#tab-incidents');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-partners', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-partners');
    const card = page.locator('.partner[data-partner="SEDENA"]');
    assert.equal(await card.locator('.link-state').textContent(), es['partners.link.connected']);
    const received = card.locator('.message-in[data-template="acknowledged"] .message-text');
    assert.equal(await received.textContent(), 'Enterado.');
    assert.equal(await received.getAttribute('lang'), 'es');
    assert.equal(await page.textContent('#tab-history'), es['history.title']);
    await screenshot(page, 'operators-partners-es');
    // No English catalogue string is left on any panel, apart from the messages' English twins (marked lang="en",
    // shown on purpose beneath the Spanish), set aside here.
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('.message [lang="en"]').forEach((e) => { e.style.display = 'none'; }));
    for (const tab of ['alerts', 'history', 'incidents', 'partners']) {
      await openTab(page, tab);
      assert.deepEqual(englishLeftIn(await visibleText(page), en, es), [], tab);
    }
    await page.click('button.lang[data-lang="en"]');
  });

  test('the print view is the map alone, with its scale and a north arrow turned with the map', async () => {
    await mapIdle(page, 'map.jumpTo({ center: [-107.87, 31.7834], zoom: 12, bearing: 30 })');
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    assert.equal(await page.locator('.side').isVisible(), false, 'no side panel on paper');
    assert.ok(await page.locator('#north-arrow').isVisible());
    assert.equal(await page.locator('#north-arrow').evaluate((e) => (e as HTMLElement).style.transform), 'rotate(-30deg)');
    assert.ok(await page.locator('.maplibregl-ctrl-scale').isVisible(), 'scale bar');
    assert.ok((await page.textContent('#print-stamp'))!.startsWith(en['print.stamp'].split('{time}')[0]));
    await screenshot(page, 'operators-print');
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await mapIdle(page, 'map.setBearing(0)');
  });
});
