// A TAK user is known by callsign, not by the device's uid, before and after the server restarts: the
// callsign, team and range-rule notes are stored with each fix, so a restarted server names the unit,
// its fixes and its alerts as before, even when the device's next reports come without a callsign.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { tempDir } from '../helpers/temp.js';
import { atakPli, BOUNDARY_FILE, FENCE_FILE, getJson, postJson, StreamReader, tcpClient, write } from './helpers.js';

const tmp = tempDir('lindero-names-');
after(() => tmp.remove());

const UID = 'ANDROID-359975090666199';
const CALLSIGN = 'COYOTE-3 Ñandú';
/** The fixture boundary (parallel 31°47′ N) at lon -106.58, as in the patrol story. */
const BOUNDARY_LAT = 31.783859;
const LON = -106.58;

function start(): Promise<RunningServer> {
  return startServer({
    host: '127.0.0.1', port: 0, db: tmp.file('restart.db'), boundaryFile: BOUNDARY_FILE, fenceFile: FENCE_FILE,
    cotPort: 0, osmandPort: null, cotUdpPort: null, nmeaPort: null, cotTlsPort: null, tickMs: 3_600_000,
  });
}

test('after a restart the unit, its fixes and its alerts still go by the callsign, and its last fix keeps its notes', { timeout: 60_000 }, async () => {
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000;
  const first = await start();
  const base1 = `http://127.0.0.1:${first.ports.http}/api/v1`;
  const stream = await StreamReader.open(`ws://127.0.0.1:${first.ports.http}/api/v1/stream`);
  const tak = await tcpClient(first.ports.cotTcp!);
  // 1.5 km north of the line; a drone-style signed course, which the range rules normalise with a note.
  await write(tak.socket, atakPli(UID, BOUNDARY_LAT + 1500 / 111_000, LON, t0, 2).replace('course="252.7"', 'course="-108.90"'));
  await stream.waitFor((e) => e.type === 'fix' && e.fix.unit === UID);
  tak.socket.end();
  await stream.close();
  const before = (await getJson(`${base1}/units`)).body.units.find((u: { unit: string }) => u.unit === UID);
  assert.equal(before.name, CALLSIGN);
  await first.close();

  const second = await start();
  try {
    const base = `http://127.0.0.1:${second.ports.http}/api/v1`;
    const [unit] = (await getJson(`${base}/units`)).body.units;
    assert.equal(unit.unit, UID);
    assert.equal(unit.name, CALLSIGN, 'the restarted server names the unit by the callsign stored with its latest fix');
    assert.equal(unit.last_fix.name, CALLSIGN);
    assert.equal(unit.last_fix.group, 'Cyan');
    assert.equal(unit.last_fix.course_deg, 251.1);
    assert.deepEqual(unit.last_fix.notes, ['detail.track.course -108.9 read as a signed course: 251.1']);
    // The same device walks south through the fence into Mexico, its reports now without a callsign.
    const walk = [1000, 500, 300, 100, 40, -60, -140].map((m, k) => ({ unit: UID, time: t0 + (k + 1) * 20_000, lat: BOUNDARY_LAT + m / 111_000, lon: LON, accuracy_m: 2 }));
    assert.equal((await postJson(`${base}/fixes`, walk)).body.accepted, walk.length);
    await second.pipeline.settle();
    const alerts = (await getJson(`${base}/alerts?unit=${UID}`)).body.alerts as { kind: string; name?: string; message_en: string }[];
    assert.ok(alerts.some((a) => a.kind === 'crossing'), alerts.map((a) => a.kind).join(', '));
    for (const a of alerts) {
      assert.equal(a.name, CALLSIGN, `the ${a.kind} alert`);
      assert.ok(a.message_en.includes(CALLSIGN), a.message_en);
    }
    const after = (await getJson(`${base}/units`)).body.units[0];
    assert.equal(after.name, CALLSIGN);
    assert.equal('notes' in after.last_fix, false, 'a fix the range rules took as sent has no notes');
  } finally {
    await second.close();
  }
});
