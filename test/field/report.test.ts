// Optional reporting: fixes taken while offline wait on the phone (IndexedDB) and reach the server once the
// network is back, each exactly once, with the device's own time, even when an answer is lost on the way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPhone, screenshot, startFieldServer, waitForDistance, type FieldServer, type Phone } from './harness.js';
import { lindero, nearClint } from './places.js';

interface TrackPoint {
  geometry: { type: string; coordinates: [number, number] };
  properties: { time_ms?: number; accuracy_m?: number };
}

const UNIT = 'phone-7';

describe('field mode reporting to a server', () => {
  let server: FieldServer;
  let phone: Phone;

  async function moveTo(metres: number, accuracyM = 5) {
    const p = nearClint(metres);
    const where = await lindero(server.origin, p.lat, p.lon, accuracyM);
    await phone.setPosition(p.lat, p.lon, accuracyM);
    await waitForDistance(phone.page, where.boundary.distance_m);
    return p;
  }

  async function storedTrack(): Promise<TrackPoint[]> {
    const response = await fetch(`${server.origin}/api/v1/units/${UNIT}/track`);
    if (response.status === 404) return [];
    const body = (await response.json()) as { features: TrackPoint[] };
    return body.features.filter((f) => f.geometry.type === 'Point');
  }

  /** The status may already read "sent" from before a fix was queued, so wait for the server to hold it. */
  async function waitForStored(count: number): Promise<TrackPoint[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const track = await storedTrack();
      if (track.length >= count || Date.now() > deadline) return track;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const reportState = () => phone.page.locator('#report-status').evaluate((e) => [e.getAttribute('data-state'), Number(e.getAttribute('data-queued'))] as const);
  const waitForReport = (state: string, queued: number) => phone.page.waitForFunction(([s, q]) => {
    const e = document.getElementById('report-status');
    return e?.dataset.state === s && e.dataset.queued === String(q);
  }, [state, queued] as const, { timeout: 15_000 });

  before(async () => {
    server = await startFieldServer();
    phone = await openPhone(server.origin, { ...nearClint(800), accuracyM: 5 });
    // The tests below take the network away and reopen the page offline, from what the service worker keeps:
    // it must have kept the app first (it registers once the first answer is on screen, and precaches then).
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
  });

  after(async () => {
    const foreign = phone?.foreignRequests ?? [];
    await phone?.close();
    await server?.close();
    assert.deepEqual(foreign, [], 'no request left the machine');
  });

  it('refuses a server address that is not http(s) and says so', async () => {
    await phone.page.click('#open-settings');
    await phone.page.fill('input[name="serverUrl"]', 'ftp://example');
    await phone.page.click('#settings-save');
    assert.equal(await phone.page.locator('#settings-message').innerText(), 'The server address must start with http:// or https://.');
    assert.ok(await phone.page.locator('#settings').isVisible(), 'the dialog stays open');
    await phone.page.click('#settings-cancel');
  });

  it('once a server is set, each new fix is sent with the device time', async () => {
    await phone.page.click('#open-settings');
    await phone.page.fill('input[name="serverUrl"]', server.origin);
    await phone.page.fill('input[name="unit"]', UNIT);
    await phone.page.click('#settings-save');
    const p = await moveTo(700);
    const track = await waitForStored(1);
    await waitForReport('sent', 0);
    assert.equal(track.length, 1);
    assert.deepEqual(track[0].geometry.coordinates, [p.lon, p.lat]);
    assert.equal(track[0].properties.accuracy_m, 5);
    const deviceTimeMs = await phone.page.evaluate(() => Number(document.querySelector<HTMLElement>('.field-card')?.dataset.fixTimeMs));
    assert.equal(track[0].properties.time_ms, deviceTimeMs, 'the server keeps the time the phone took the fix');
  });

  it('fixes taken offline are queued and reach the server once the network returns, exactly once each', async () => {
    await phone.context.setOffline(true);
    const offline = [];
    for (const metres of [600, 450, 300, 150]) offline.push(await moveTo(metres));
    await waitForReport('unreachable', 4);
    assert.equal((await storedTrack()).length, 1, 'nothing reached the server while offline');
    await screenshot(phone.page, 'field-report-queued', { fullPage: true });

    // The first answer after the network returns is lost on the way back: the server stored the fixes, the
    // phone never heard. It must send them again, and the server must keep each once.
    let lostAnswers = 0;
    await phone.context.route('**/api/v1/fixes', async (route) => {
      // The page also asks whether the server answers with an empty report ([]): that one is let through.
      const fixes = route.request().postDataJSON() as unknown[];
      if (lostAnswers > 0 || fixes.length === 0) return route.continue();
      lostAnswers++;
      await route.fetch();
      return route.abort('connectionreset');
    });
    await phone.context.setOffline(false);
    await waitForReport('sent', 0);
    assert.equal(lostAnswers, 1);
    const track = await storedTrack();
    assert.equal(track.length, 5);
    for (const p of offline) {
      const copies = track.filter((f) => f.geometry.coordinates[0] === p.lon && f.geometry.coordinates[1] === p.lat);
      assert.equal(copies.length, 1, `the fix at ${p.lat}, ${p.lon} is stored once`);
    }
    const times = track.map((f) => f.properties.time_ms!);
    assert.deepEqual([...times].sort((a, b) => a - b), times, 'in device-time order');
    await phone.context.unroute('**/api/v1/fixes');
  });

  it('fixes still queued when the page is closed are sent when it is opened again', async () => {
    await phone.context.setOffline(true);
    const p = await moveTo(100);
    await waitForReport('unreachable', 1);
    await phone.page.reload();
    await phone.page.waitForFunction(() => document.body.dataset.ready === 'true');
    // The reopened page may take the same position again (same device time): queued, and stored once.
    await phone.page.waitForFunction(() => document.getElementById('report-status')?.dataset.state === 'unreachable');
    const [, queued] = await reportState();
    assert.ok(queued >= 1, `${queued} fixes queued after the reload`);
    await phone.context.setOffline(false);
    await waitForReport('sent', 0);
    const track = await storedTrack();
    assert.equal(track.filter((f) => f.geometry.coordinates[0] === p.lon && f.geometry.coordinates[1] === p.lat).length, 1);
  });

  it('an SOS asks to confirm, then goes with the next position; its cancel, when the GPS gives none in time, goes without one', async () => {
    const alerts = async (kind: string) => {
      const body = (await (await fetch(`${server.origin}/api/v1/alerts?unit=${UNIT}&kind=${kind}`)).json()) as { alerts: { kind: string; emergency?: string; lat: number; lon: number; last_known_time?: string }[] };
      return body.alerts;
    };
    const until = async (kind: string) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const found = await alerts(kind);
        if (found.length > 0 || Date.now() > deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await moveTo(2_000);
    await waitForReport('sent', 0);
    assert.ok(await phone.page.locator('#sos-button').isVisible(), 'the SOS is offered while the phone reports to a server');
    await phone.page.click('#sos-button');
    assert.ok(await phone.page.locator('#sos-confirm').isVisible());
    assert.equal(await phone.page.locator('#sos-question').innerText(), 'Send an SOS to the report server, with your position now?');
    // A first press sends nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await alerts('emergency'), []);
    await phone.page.click('#sos-send');
    // The GPS's next position goes with the SOS (and is not sent plain as well).
    assert.equal(await phone.page.locator('#sos-status').innerText(), "Waiting for the GPS's next position to send the SOS with…");
    const p = nearClint(1_990);
    await phone.setPosition(p.lat, p.lon, 5);
    await phone.page.waitForFunction(() => document.getElementById('sos-status')?.dataset.state === 'declared', undefined, { timeout: 15_000 });
    assert.match(await phone.page.locator('#sos-status').innerText(), /^SOS declared at \d\d:\d\d:\d\d UTC, with your position\./);
    const [declared] = await until('emergency');
    assert.deepEqual([declared.kind, declared.emergency, declared.lat, declared.lon], ['emergency', 'SOS', p.lat, p.lon]);
    await screenshot(phone.page, 'field-sos-declared', { fullPage: true });

    // The cancel: the phone stands still and the GPS gives no new position within 10 s, so it goes without one,
    // and the server places it at the last position the phone reported (the SOS's), saying so.
    await phone.page.click('#sos-cancel');
    await phone.page.waitForFunction(() => document.getElementById('sos-status')?.dataset.state === 'idle', undefined, { timeout: 20_000 });
    assert.match(await phone.page.locator('#sos-status').innerText(), /^SOS cancelled at \d\d:\d\d:\d\d UTC, without a position/);
    const [cancelled] = await until('emergency-cancelled');
    assert.deepEqual([cancelled.emergency, cancelled.lat, cancelled.lon, typeof cancelled.last_known_time], ['SOS cancelled', p.lat, p.lon, 'string']);
    assert.ok(await phone.page.locator('#sos-button').isVisible(), 'another SOS can be sent');
    // The position the SOS went with is stored once.
    await waitForReport('sent', 0);
    assert.equal((await storedTrack()).filter((f) => f.geometry.coordinates[0] === p.lon && f.geometry.coordinates[1] === p.lat).length, 1);
  });
});
