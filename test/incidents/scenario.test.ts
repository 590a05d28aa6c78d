// The demonstration scenario is data: the Clint file reads as intended, sits where it should on the
// default boundary, and a malformed scenario is refused with the field named.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { classify } from '../../src/geo/index.js';
import { loadScenario, scenarioDurationS, scenarioFixes } from '../../src/incidents/index.js';
import { loadLayerFile } from '../../src/layers/node.js';
import { clintLayers, FENCE_FILE, SCENARIO_FILE, tempDir } from './helpers.js';

const tmp = tempDir('lindero-scenario-');
after(() => tmp.remove());

test('the Clint scenario: a U.S. unit over OsmAnd and a Mexican unit over the JSON API, a fix every 10 s for 25 minutes', () => {
  const s = loadScenario(SCENARIO_FILE);
  assert.equal(s.fenceFile, FENCE_FILE);
  assert.deepEqual(s.units.map((u) => [u.id, u.via, u.accuracyM]), [['us-army-1', 'osmand', 4], ['mx-sedena-1', 'http', 8]]);
  assert.equal(scenarioDurationS(s), 1500);
  const fixes = scenarioFixes(s);
  assert.equal(fixes.filter((f) => f.unit.id === 'us-army-1').length, 151);
  assert.equal(fixes.filter((f) => f.unit.id === 'mx-sedena-1').length, 145);
  assert.ok(fixes.every((f, i) => i === 0 || f.t >= fixes[i - 1].t), 'in time order');
  const us = fixes.filter((f) => f.unit.id === 'us-army-1');
  assert.deepEqual([us[18].lat, us[18].lon], [31.5243500, -106.2388500], 'half way along the road at 180 s');
  assert.deepEqual([us[36].lat, us[36].lon], [31.5181, -106.2368], 'at the stop from 360 s');
  assert.match(s.about.en, /13 April 2019 near Clint, Texas/);
  assert.match(s.about.es, /13 de abril de 2019/);
});

test('the scenario\'s fence is labelled illustrative, in its name and as a property', async () => {
  const fc = await loadLayerFile(FENCE_FILE, { role: 'fence' });
  const props = fc.features[0].properties ?? {};
  assert.equal(props.illustrative, true);
  assert.match(String(props.name), /illustrative/);
  const layers = await clintLayers();
  assert.equal(layers.fenceInfo[0].illustrative, true);
  assert.equal(layers.fenceInfo[0].territory, 'US');
});

test('on the default boundary the river channel at Clint is the line; the fence stands hundreds of metres inside U.S. territory', async () => {
  const layers = await clintLayers();
  const channel = classify({ lat: 31.506, lon: -106.23 }, layers);
  assert.ok(channel.boundary.distanceM < 50, `the channel is ${channel.boundary.distanceM} m from the line`);
  const fence = (await loadLayerFile(FENCE_FILE, { role: 'fence' })).features[0].geometry as unknown as { coordinates: [number, number][] };
  for (const [lon, lat] of fence.coordinates) {
    const d = classify({ lat, lon }, layers);
    assert.equal(d.territory, 'US');
    assert.ok(d.boundary.distanceM > 250 && d.boundary.distanceM < 400, `fence vertex ${d.boundary.distanceM} m from the line`);
  }
  const fixes = scenarioFixes(loadScenario(SCENARIO_FILE));
  for (const f of fixes.filter((x) => x.unit.id === 'us-army-1')) {
    const d = classify(f, layers);
    assert.equal(d.territory, 'US');
    assert.equal(d.zone, 'strip', 'the U.S. patrol road runs between the fence and the river');
  }
  const mx = fixes.filter((x) => x.unit.id === 'mx-sedena-1').map((f) => classify({ ...f, accuracyM: 8 }, layers));
  assert.equal(mx[0].territory, 'MX');
  assert.ok(mx[0].boundary.distanceM > 1000, 'the Mexican patrol starts over a kilometre south-west');
  assert.ok(mx.some((d) => d.territory === 'US' && d.zone === 'strip'), 'and steps into the strip on U.S. territory');
  assert.equal(mx[mx.length - 1].territory, 'MX');
});

test('a malformed scenario is refused with the file and field named', () => {
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(tmp.file(name), content);
    return tmp.file(name);
  };
  const good = { name: 'x', about: { en: 'x', es: 'x' }, fix_interval_s: 10, units: [{ id: 'u', label: 'u', via: 'http', accuracy_m: 5, path: [{ t: 0, lat: 31, lon: -106 }] }] };
  const unit = good.units[0];
  const cases: [string, string | Buffer, RegExp, string?][] = [
    ['syntax.json', '{"name": ', /not JSON/],
    ['garbage.json', Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x13, 0x37]), /not JSON/],
    ['nested.json', '['.repeat(50_000) + ']'.repeat(50_000), /a scenario is a JSON object/],
    ['big.json', JSON.stringify({ ...good, pad: 'x'.repeat(1_100_000) }), /at most 1048576 are read/],
    ['via.json', JSON.stringify({ ...good, units: [{ ...unit, via: 'carrier pigeon' }] }), /via must be "http" or "osmand"/, 'units[0].via'],
    ['lat.json', JSON.stringify({ ...good, units: [{ ...unit, path: [{ t: 0, lat: 91, lon: 0 }] }] }), /lat must be a number from -90 to 90/, 'units[0].path[0].lat'],
    ['order.json', JSON.stringify({ ...good, units: [{ ...unit, path: [{ t: 5, lat: 1, lon: 1 }, { t: 5, lat: 1, lon: 1 }] }] }), /later than the waypoint before it/, 'units[0].path[1].t'],
    ['many.json', JSON.stringify({ ...good, fix_interval_s: 1, units: [{ ...unit, path: [{ t: 0, lat: 1, lon: 1 }, { t: 600_000, lat: 1, lon: 1 }] }] }), /would send 600001 fixes/],
    ['twins.json', JSON.stringify({ ...good, units: [unit, unit] }), /two units have the same id/, 'units'],
  ];
  for (const [name, content, message, field] of cases) {
    assert.throws(() => loadScenario(write(name, content)), (e: any) => {
      assert.equal(e.code, 'bad-scenario', name);
      assert.equal(e.place.file, tmp.file(name));
      assert.match(e.message, message, name);
      if (field) assert.equal(e.place.field, field, name);
      return true;
    });
  }
});
