// The stream carries what operators need to see at once beyond fixes and alerts: an acknowledgement as
// it is made (who, when), and a map marker a TAK client shares as it is heard (never a unit). Plain and
// batched clients alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { postJson, startTestServer, StreamReader, streamUrl, tcpClient, wholeSecondsAgo, write, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ rules: null, cotTlsPort: null });
});
after(() => server.stop());

const capture = (name: string) => readFileSync(new URL(`../fixtures/cot/captures/${name}`, import.meta.url), 'utf8');

test('an acknowledgement reaches every open stream as it is made, with who made it', async () => {
  const plain = await StreamReader.open(streamUrl(server));
  const batched = await StreamReader.open(`${streamUrl(server)}?batch=1`);
  try {
    const t = wholeSecondsAgo(10);
    await server.pipeline.ingest([{ unit: 'ack-1', time: t, lat: 31.79, lon: -106.58, accuracyM: 5, source: 'json' }]);
    const [fix] = await server.store.track('ack-1');
    const alert = await server.store.appendAlert({ kind: 'stale', unit: 'ack-1', time: t, determination: fix.determination } as never);
    const done = await postJson(`${server.base}/api/v1/alerts/${alert.id}/acknowledgement`, {});
    assert.equal(done.status, 201);
    const event = (await plain.waitFor((e: any) => e.type === 'acknowledgement')) as any;
    assert.deepEqual([event.acknowledgement.alert_id, event.acknowledgement.by, event.acknowledgement.by_kind], [alert.id, 'local', 'local']);
    const batch = (await batched.waitFor((e: any) => e.type === 'batch' && e.events.some((x: any) => x.type === 'acknowledgement'))) as any;
    assert.equal(batch.events.find((x: any) => x.type === 'acknowledgement').acknowledgement.alert_id, alert.id);
    // Acknowledging again changes nothing and is not streamed again.
    assert.equal((await postJson(`${server.base}/api/v1/alerts/${alert.id}/acknowledgement`, {})).status, 200);
    await server.pipeline.ingest([{ unit: 'ack-1', time: t + 1000, lat: 31.7901, lon: -106.5801, accuracyM: 5, source: 'json' }]);
    await plain.waitFor((e: any) => e.type === 'fix' && e.fix.time_ms === t + 1000);
    assert.equal(plain.events.filter((e: any) => e.type === 'acknowledgement').length, 1);
  } finally {
    await plain.close();
    await batched.close();
  }
});

test('a marker a TAK client places reaches the stream as a marker as it is heard, and never as a unit', async () => {
  const stream = await StreamReader.open(streamUrl(server));
  const tak = await tcpClient(server.ports.cotTcp!);
  try {
    const now = Date.now();
    const xml = capture('atak-spot-marker.xml')
      .replace(/time=(['"])[^'"]*\1/, `time="${new Date(now).toISOString()}"`)
      .replace(/start=(['"])[^'"]*\1/, `start="${new Date(now).toISOString()}"`)
      .replace(/stale=(['"])[^'"]*\1/, `stale="${new Date(now + 3_600_000).toISOString()}"`);
    await write(tak.socket, xml);
    const event = (await stream.waitFor((e: any) => e.type === 'marker')) as any;
    assert.equal(event.marker.uid, '9405e320-9356-41c4-8449-f46990aa17f8');
    assert.equal(event.marker.name, 'R 1');
    assert.ok(!stream.events.some((e: any) => (e.type === 'fix' || e.type === 'unit') && JSON.stringify(e).includes('9405e320')));
  } finally {
    tak.socket.end();
    await stream.close();
  }
});
