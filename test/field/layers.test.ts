// Layers on the phone: a fence file (KML or GPX) picked from the phone is used at once, kept offline across
// reloads, and a bad or hostile file is refused with what is wrong and where, keeping the layers in use.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatDistance } from '../../src/answer/index.js';
import { classify } from '../../src/geo/index.js';
import { seeded } from '../helpers/geodesic-oracle.js';
import { clintFenceCoordinates, clintFenceKml, defaultLayers } from './fixtures.js';
import { fieldReady, openPhone, screenshot, startFieldServer, waitForDistance, type FieldServer, type Phone } from './harness.js';
import { nearClint } from './places.js';

const KML = 'application/vnd.google-earth.kml+xml';

describe('field mode layers loaded on the phone', () => {
  let server: FieldServer;
  let phone: Phone;
  let dir: string;

  /** Picks a file in the layers dialog, as a person would, and returns what the dialog then says. */
  async function pick(role: 'boundary' | 'fence', file: { name: string; mimeType: string; buffer: Buffer } | string): Promise<string> {
    await phone.page.click('#open-layers');
    await phone.page.setInputFiles(`#${role}-file`, file);
    await phone.page.waitForFunction(() => (document.getElementById('layers-message')?.textContent ?? '') !== '');
    const note = await phone.page.locator('#layers-message').innerText();
    await phone.page.click('#layers-close');
    return note;
  }

  const summary = () => phone.page.locator('#layers-summary').innerText();
  /**
   * The layers' summary once it matches `expected`, or as it is after 10 s: removing a layer or taking the
   * built-in boundary back is applied a moment after the tap (the layers are made again), not at once.
   */
  const summaryOnceIt = async (expected: RegExp) => {
    await phone.page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#layers-summary')?.textContent ?? ''), expected.source, { timeout: 10_000 })
      .catch(() => undefined);
    return summary();
  };
  const inStrip = () => phone.page.locator('.fix-zone').isVisible();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lindero-field-layers-'));
    server = await startFieldServer();
    // 60 m north of the river, south of the test fence (about 166 m north): in the strip once the fence is loaded.
    phone = await openPhone(server.origin, { ...nearClint(60), accuracyM: 5 });
    await phone.page.waitForSelector('.field-card');
  });

  after(async () => {
    const foreign = phone?.foreignRequests ?? [];
    await phone?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(foreign, [], 'no request left the machine');
  });

  it('a KML fence picked on the phone shows the strip between the fence and the boundary', async () => {
    assert.equal(await inStrip(), false);
    const note = await pick('fence', { name: 'clint-fence.kml', mimeType: KML, buffer: Buffer.from(clintFenceKml()) });
    assert.equal(note, 'Loaded clint-fence.kml');
    await phone.page.locator('.fix-zone').waitFor();
    assert.equal(await phone.page.locator('.fix-zone .primary').innerText(), 'Between the fence and the boundary');
    assert.equal(await phone.page.locator('.fix-fence .primary').innerText(), `Fence “Clint test fence” (illustrative): ${fenceDistance()}, boundary side`);
    assert.match(await summary(), /Fence: clint-fence\.kml/);
    assert.equal(await phone.page.locator('#warning-list li[data-kind="approach"]').count(), 1, 'a new layer is not a second approach');
    assert.equal(await phone.page.locator('#warning-list li[data-kind="entered-strip"]').count(), 0, 'nor did the phone walk into the strip');
    await screenshot(phone.page, 'field-strip', { fullPage: true });
  });

  it('the loaded fence is kept on the phone: after a reload, offline, it is still used', async () => {
    await phone.page.waitForFunction(() => document.body.dataset.offlineReady === 'true', undefined, { timeout: 30_000 });
    await phone.context.setOffline(true);
    await phone.page.reload();
    await fieldReady(phone.page);
    await phone.page.locator('.fix-zone').waitFor();
    assert.match(await summary(), /Fence: clint-fence\.kml/);
    await phone.context.setOffline(false);
  });

  // What lindero says (its sentence, and the line and column it names), never the words of the browser or of a parser.
  const refused: [string, () => { name: string; mimeType: string; buffer: Buffer } | string, RegExp][] = [
    ['truncated GeoJSON', () => file('cut.geojson', '{"type": "FeatureCollection", "features": [\n  {"type": "Feature",'), /^Could not load cut\.geojson: line 2, column 22: is not valid JSON: the text ends early: expected a property name in double quotes$/],
    ['JSON that is not GeoJSON', () => file('list.json', '{"names": ["a", "b"]}'), /is JSON but not GeoJSON/],
    ['a polygon as a fence', () => file('area.geojson', JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[-106.3, 31.5], [-106.2, 31.5], [-106.2, 31.6], [-106.3, 31.5]]] } })),
      /feature 0, field 'geometry': a fence must be a LineString or MultiLineString, not Polygon/],
    ['KML that is not well-formed', () => file('broken.kml', '<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Placemark><name>x</name>\n</kml>'), /^Could not load broken\.kml: line 3, column \d+: is not well-formed XML: \S/],
    ['XML that is neither KML nor GPX', () => file('drawing.svg', '<svg xmlns="http://www.w3.org/2000/svg"><line/></svg>'), /is XML with root element <svg>, not KML/],
    ['a KML file with an external entity (XXE)', () => file('xxe.kml',
      '<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name></Placemark></kml>'),
      /line 2, column 1: contains a <!DOCTYPE> declaration; document type definitions are refused/],
    ['a GPX file with nested entities (billion laughs)', () => file('laughs.gpx', billionLaughs()), /<!DOCTYPE> declaration/],
    ['XML nested 300 deep', () => file('deeper.kml', `<kml>${'<Folder>'.repeat(300)}${'</Folder>'.repeat(300)}</kml>`), /nests XML elements more than 200 deep/],
    ['XML nested thousands deep', () => file('deep.kml', `<kml>${'<Folder>'.repeat(5000)}${'</Folder>'.repeat(5000)}</kml>`), /^Could not load deep\.kml: line 1: nests XML elements more than 200 deep$/],
    ['GeoJSON coordinates nested thousands deep', () => file('deep.geojson',
      `{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":${'['.repeat(20000)}${']'.repeat(20000)}}}`), /feature 0/],
    ['binary garbage', () => {
      const random = seeded(1);
      return { name: 'noise.kml', mimeType: KML, buffer: Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))) };
    }, /^Could not load noise\.kml: line 1, byte 0: is not valid utf-8 text \(binary data, or a different encoding than declared\)$/],
    ['a file over 64 MiB', () => {
      const path = join(dir, 'huge.geojson');
      writeFileSync(path, '');
      truncateSync(path, 65 * 1024 * 1024);
      return path;
    }, /is 65\.0 MiB; a phone loads layers of at most 64\.0 MiB/],
  ];

  for (const [what, make, expected] of refused) {
    it(`${what} is refused with a clear error, and the fence in use is kept`, async () => {
      const note = await pick('fence', make());
      assert.match(note, expected);
      assert.match(await summary(), /Fence: clint-fence\.kml/);
      assert.equal(await inStrip(), true);
    });
  }

  it('a GPX track loads as a fence; removing it leaves no strip', async () => {
    const points = clintFenceCoordinates().map(([lon, lat]) => `<trkpt lat="${lat}" lon="${lon}"/>`).join('');
    const gpx = `<?xml version="1.0"?>\n<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>GPX fence</name><trkseg>${points}</trkseg></trk></gpx>`;
    assert.equal(await pick('fence', file('fence.gpx', gpx)), 'Loaded fence.gpx');
    assert.equal(await phone.page.locator('.fix-fence .primary').innerText(), `Fence “GPX fence”: ${fenceDistance()}, boundary side`);
    await phone.page.click('#open-layers');
    await phone.page.click('#remove-fence');
    await phone.page.click('#layers-close');
    assert.match(await summaryOnceIt(/No fence layer/), /No fence layer/);
    assert.equal(await inStrip(), false);
  });

  it('a boundary file replaces the built-in line, and the built-in line comes back with one tap', async () => {
    // A straight north–south boundary 1 km east of the phone: US to the west (left walking north), MX east.
    const p = nearClint(60);
    const boundary = {
      type: 'Feature', properties: { name: 'Test line', left: 'US', right: 'MX' },
      geometry: { type: 'LineString', coordinates: [[p.lon + 0.01055, p.lat - 0.1], [p.lon + 0.01055, p.lat + 0.1]] },
    };
    assert.equal(await pick('boundary', file('line.geojson', JSON.stringify(boundary))), 'Loaded line.geojson');
    assert.match(await summary(), /Boundary: line\.geojson/);
    assert.match(await phone.page.locator('.fix-direction .primary').innerText(), /: east \(90°\)$/);
    await phone.page.click('#open-layers');
    await phone.page.click('#use-default-boundary');
    await phone.page.click('#layers-close');
    assert.match(await summaryOnceIt(/Boundary: U\.S\.–Mexico boundary \(built in\)/), /Boundary: U\.S\.–Mexico boundary \(built in\)/);
    assert.doesNotMatch(await phone.page.locator('.fix-direction .primary').innerText(), /: east \(90°\)$/);
  });

  it('what was removed stays removed and what is kept stays kept across a reload', async () => {
    // The fence was removed and the built-in boundary taken back above; a fence loaded now is kept.
    assert.equal(await pick('fence', { name: 'clint-fence.kml', mimeType: KML, buffer: Buffer.from(clintFenceKml()) }), 'Loaded clint-fence.kml');
    await phone.page.reload();
    await fieldReady(phone.page);
    await phone.page.locator('.fix-zone').waitFor();
    assert.match(await summary(), /Boundary: U\.S\.–Mexico boundary \(built in\)/);
    assert.match(await summary(), /Fence: clint-fence\.kml/);
    await phone.page.click('#open-layers');
    await phone.page.click('#remove-fence');
    await phone.page.click('#layers-close');
    await phone.page.reload();
    await fieldReady(phone.page);
    await phone.page.locator('.field-card').waitFor();
    assert.match(await summary(), /No fence layer/);
    assert.equal(await inStrip(), false);
  });
});

/** The distance to the test fence from the phone's position, as the card words it, from classify() in Node. */
function fenceDistance(): string {
  const det = classify({ ...nearClint(60), accuracyM: 5 }, defaultLayers(true));
  return formatDistance(det.fence!.distanceM, 'en');
}

function file(name: string, text: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: name.endsWith('.kml') ? KML : 'application/octet-stream', buffer: Buffer.from(text) };
}

function billionLaughs(): string {
  const entities = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE gpx [${entities.join('')}]>\n<gpx version="1.1"><trk><name>&lol9;</name></trk></gpx>`;
}
