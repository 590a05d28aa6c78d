// NMEA carries no unit id: a receiver that cannot name itself is named by its address in the configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unitFromLine } from '../../src/server/index.js';
import { isFixOf, nmea, nmeaEpoch, startTestServer, StreamReader, streamUrl, tcpClient, wholeSecondsAgo, write } from './helpers.js';

test('a connection from an address mapped to a unit is stored under that unit; a UNIT line overrides the map', { timeout: 30_000 }, async () => {
  const server = await startTestServer({ rules: null, nmeaUnits: { '127.0.0.1': 'mast-receiver' } });
  const stream = await StreamReader.open(streamUrl(server));
  try {
    const mapped = await tcpClient(server.ports.nmeaTcp!);
    await write(mapped.socket, nmeaEpoch(31.7715, -106.5406, wholeSecondsAgo(20)).join('\r\n') + '\r\n');
    await stream.waitFor(isFixOf('mast-receiver'));
    const renamed = await tcpClient(server.ports.nmeaTcp!);
    await write(renamed.socket, ['UNIT skiff-2', ...nmeaEpoch(31.7716, -106.5407, wholeSecondsAgo(19))].join('\r\n') + '\r\n');
    await stream.waitFor(isFixOf('skiff-2'));
    assert.equal((await server.store.track('mast-receiver')).length, 1, 'the renamed connection added nothing to the mapped unit');
    mapped.socket.end();
    renamed.socket.end();
  } finally {
    await stream.close();
    await server.stop();
  }
});

test('naming lines: UNIT <name>, $PLIND,<name>*hh with its checksum, and nothing else', () => {
  assert.deepEqual(unitFromLine('UNIT  Patrol Boat 7 '), { unit: 'Patrol Boat 7' });
  assert.deepEqual(unitFromLine('unit rx-1'), { unit: 'rx-1' });
  assert.deepEqual(unitFromLine(nmea('PLIND,buoy-9')), { unit: 'buoy-9' });
  assert.match((unitFromLine('$PLIND,buoy-9*00') as { error: string }).error, /checksum/);
  assert.match((unitFromLine(`UNIT ${'x'.repeat(200)}`) as { error: string }).error, /1 to 128 printable characters/);
  assert.equal(unitFromLine(nmea('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W')), null);
  assert.equal(unitFromLine('UNITED'), null);
});

test('a receiver dating its fixes 1024 weeks early (GPS week-number rollover) is stored at the right time over a real socket, with the note', { timeout: 30_000 }, async () => {
  const server = await startTestServer({ rules: null, nmeaUnits: { '127.0.0.1': 'old-receiver' } });
  const stream = await StreamReader.open(streamUrl(server));
  try {
    const at = wholeSecondsAgo(20);
    const client = await tcpClient(server.ports.nmeaTcp!);
    await write(client.socket, nmeaEpoch(31.7715, -106.5406, at - 1024 * 7 * 86_400_000).join('\r\n') + '\r\n');
    await stream.waitFor(isFixOf('old-receiver'));
    const [fix] = await server.store.track('old-receiver');
    assert.equal(fix.time, at);
    assert.match(fix.notes?.join() ?? '', /RMC\.date was 1024 weeks behind the receiving clock/);
    client.socket.end();
  } finally {
    await stream.close();
    await server.stop();
  }
});
