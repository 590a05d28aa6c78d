// One end-to-end run of a random policy and a random track (seeded) through two linked servers: what
// the policy withholds appears nowhere on the receiving side, not in the bytes of its database files,
// not in its API answers, not on its live stream. The pure filter is checked over many random cases
// in policy.test.ts; this run checks that nothing else on the way lets anything past it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { buildLayers, classify, type Layers } from '../../src/geo/index.js';
import { loadLayerFile } from '../../src/layers/node.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { parseShareConfig } from '../../src/share/index.js';
import { BOUNDARY_FILE, eventually, getJson, offLine, postJson, SECRET, tempDir } from './helpers.js';

const tmp = tempDir();
after(() => tmp.remove());

const UNITS = ['alpha-1', 'bravo-2', 'charlie-3', 'delta-4', 'echo-5', 'foxtrot-6'];
const scenarioArb = fc.record({
  boundaryWithinM: fc.integer({ min: 200, max: 4000 }),
  gridM: fc.option(fc.integer({ min: 10, max: 2000 }), { nil: null }),
  delayS: fc.constantFrom(0, 1),
  withholdTags: fc.subarray(['covert', 'k9']),
  tags: fc.dictionary(fc.constantFrom(...UNITS), fc.subarray(['withheld', 'covert', 'k9'], { minLength: 1 }), { maxKeys: 3 }),
  fixes: fc.array(fc.record({
    unit: fc.constantFrom(...UNITS),
    metres: fc.integer({ min: -6000, max: 6000 }),
    lon: fc.double({ min: -108.1, max: -107.6, noNaN: true }),
  }), { minLength: 30, maxLength: 60 }),
});

function quiet(dir: string, name: string) {
  return { host: '127.0.0.1', port: 0, osmandPort: null, cotPort: null, cotUdpPort: null, nmeaPort: null, db: join(dir, `${name}.db`), boundaryFile: BOUNDARY_FILE } as const;
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

async function startPair(s: Scenario, layers: Layers) {
  const mx: RunningServer = await startServer({
    ...quiet(tmp.dir, 'mx'), layers,
    share: parseShareConfig(JSON.stringify({ org: 'SEDENA', link: { port: 0 }, partners: [{ name: 'CBP', secret: SECRET }] }), join(tmp.dir, 'mx.json')),
  });
  const stream: string[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${mx.ports.http}/api/v1/stream`);
  socket.on('message', (d) => stream.push(String(d)));
  await new Promise((resolve) => socket.once('open', resolve));
  const us: RunningServer = await startServer({
    ...quiet(tmp.dir, 'us'), layers,
    share: parseShareConfig(JSON.stringify({
      org: 'CBP', link: { port: 0, reconnect_min_ms: 50, reconnect_max_ms: 500 }, units: s.tags,
      partners: [{
        name: 'SEDENA', url: `ws://127.0.0.1:${mx.ports.link}`, secret: SECRET,
        policy: { boundary_within_m: s.boundaryWithinM, grid_m: s.gridM, delay_s: s.delayS, withhold_tags: s.withholdTags, alerts: { kinds: ['approach', 'crossing', 'proximity'], position: true } },
      }],
    }), join(tmp.dir, 'us.json')),
  });
  return { mx, us, socket, stream };
}

describe('a random policy and a random track, end to end', () => {
  it('nothing the policy withholds reaches the partner\'s database files, API or stream', async () => {
    const [sampled] = fc.sample(scenarioArb, { seed: 20_251_126, numRuns: 1 });
    // One unit is always withheld and always right at the line, so the run cannot be vacuous.
    const s = { ...sampled, tags: { ...sampled.tags, 'foxtrot-6': ['withheld'] } as Record<string, string[]>, fixes: [...sampled.fixes, { unit: 'foxtrot-6', metres: 40, lon: -107.739173 }] };
    const withheldTags = new Set(['withheld', ...s.withholdTags]);
    const withheldUnits = UNITS.filter((u) => (s.tags[u] ?? []).some((t) => withheldTags.has(t)));
    const layers = buildLayers(await loadLayerFile(BOUNDARY_FILE, { role: 'boundary' }), null, {});
    const t0 = Date.now() - 3_600_000;
    const fixes = s.fixes.map((f, i) => ({ unit: f.unit, time: t0 + i * 1000, ...offLine(f.metres, f.lon), accuracy_m: 3 }));
    const outside = fixes.filter((f) => classify(f, layers).boundary.distanceM > s.boundaryWithinM);
    const shareable = fixes.filter((f) => !withheldUnits.includes(f.unit) && !outside.includes(f));
    const neverShared = UNITS.filter((u) => !shareable.some((f) => f.unit === u));

    const { mx, us, socket, stream } = await startPair(s, layers);
    let answers: string[];
    try {
      const body = fixes.map((f) => ({ ...f, time: new Date(f.time).toISOString() }));
      assert.equal((await postJson(`http://127.0.0.1:${us.ports.http}/api/v1/fixes`, body)).status, 200);
      await us.pipeline.settle();
      await eventually(async () => {
        const l = (await getJson(`http://127.0.0.1:${us.ports.http}/api/v1/partners`)).partners[0].link;
        return l.delayed === 0 && l.acked_seq === l.queued_seq && l.queued_seq > 0 ? true : undefined;
      }, 'everything shared to be acknowledged');
      const api = ['units', 'alerts', 'partners', 'partners/CBP/alerts', 'partners/CBP/messages'];
      answers = await Promise.all(api.map(async (path) => JSON.stringify(await getJson(`http://127.0.0.1:${mx.ports.http}/api/v1/${path}`))));
    } finally {
      socket.close();
      await us.close();
      await mx.close();
    }
    // A unit is shown while its latest fix is within the distance; one that moved out was withdrawn.
    const units = JSON.parse(answers[0]).units as { unit: string; partner?: string }[];
    const lastFix = new Map(fixes.map((f) => [f.unit, f]));
    const shown = UNITS.filter((u) => !withheldUnits.includes(u) && lastFix.has(u) && !outside.includes(lastFix.get(u)!));
    assert.deepEqual(new Set(units.filter((u) => u.partner).map((u) => u.unit)), new Set(shown), 'exactly the units whose latest fix may be shared are shown');

    const files = readdirSync(tmp.dir).filter((f) => f.startsWith('mx.') && !f.endsWith('.json')).map((f) => readFileSync(join(tmp.dir, f)).toString('latin1'));
    const places: [string, string[]][] = [['database file', files], ['API answer', answers], ['stream event', stream]];
    for (const [where, texts] of places) {
      for (const unit of [...withheldUnits, ...neverShared]) {
        assert.ok(!texts.some((t) => t.includes(`"${unit}"`) || t.includes(unit)), `withheld or never-shared unit ${unit} in a ${where}`);
      }
      for (const f of outside) {
        assert.ok(!texts.some((t) => t.includes(String(f.lat))), `the position of a fix beyond ${s.boundaryWithinM} m in a ${where}`);
      }
      if (s.gridM !== null) {
        for (const f of fixes) assert.ok(!texts.some((t) => t.includes(String(f.lat)) || t.includes(String(f.lon))), `an exact position in a ${where} under a ${s.gridM} m grid`);
      }
    }
    // The run was not vacuous: some units were withheld or kept back, and some were shared.
    assert.ok(shareable.length > 0 && withheldUnits.length > 0 && outside.length > 0, JSON.stringify({ withheldUnits, outside: outside.length }));
  });
});
