// Two nodes on one PostgreSQL database: what one node stores reaches the other node's stream (the
// dashboard's and TAK clients' feed), through PostgreSQL's LISTEN/NOTIFY, once and in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresMissing, startPgCluster, type PgCluster } from '../helpers/postgres.js';
import { tempDir } from '../helpers/store-fixtures.js';
import { postJson, startTestServer, StreamReader, streamUrl, wholeSecondsAgo, type TestServer } from './helpers.js';

describe('events across two nodes on one PostgreSQL database', { skip: postgresMissing() ? `skipped: ${postgresMissing()}` : false }, () => {
  let cluster: PgCluster;
  const tmp = tempDir('lindero-events-');
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    cluster = await startPgCluster();
    const db = await cluster.createDatabase();
    a = await startTestServer({ db, dbFiles: tmp.file('a') });
    b = await startTestServer({ db, dbFiles: tmp.file('b') });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await cluster?.stop();
    tmp.remove();
  });

  test('fixes and alerts stored by one node appear on the other node\'s stream, once each, with the unit\'s count', async () => {
    const onB = await StreamReader.open(streamUrl(b));
    const onA = await StreamReader.open(streamUrl(a));
    const t = wholeSecondsAgo(60);
    // A unit walking south across the parallel 31°47′ (the fixture line): a crossing alert on node A.
    const fixes = [0, 1, 2, 3].map((k) => ({ unit: 'walker', time: t + k * 1000, lat: 31.7860 - k * 0.0018, lon: -107.9, accuracy_m: 3 }));
    const posted = await postJson(`${a.base}/api/v1/fixes`, fixes);
    assert.equal(posted.status, 200);
    const crossing = await onA.waitFor((e) => e.type === 'alert' && e.alert.unit === 'walker' && e.alert.kind === 'crossing');
    const seen = await onB.waitFor((e) => e.type === 'alert' && e.alert.unit === 'walker' && e.alert.kind === 'crossing');
    assert.equal(seen.alert.id, crossing.alert.id);
    await onB.waitFor((e) => e.type === 'unit' && e.unit.unit === 'walker' && e.unit.fix_count === 4);
    const fixTimes = onB.events.filter((e) => e.type === 'fix' && e.fix.unit === 'walker').map((e) => e.fix.time_ms);
    assert.deepEqual(fixTimes, fixes.map((f) => f.time), 'each fix once, in order');
    // And the other way: node B's own fixes reach node A.
    await postJson(`${b.base}/api/v1/fixes`, [{ unit: 'gate-3', time: t, lat: 31.81, lon: -107.6, accuracy_m: 5 }]);
    await onA.waitFor((e) => e.type === 'fix' && e.fix.unit === 'gate-3');
    // B's own stream has it too (its batch may leave a moment after A's); an echo would follow soon after.
    await onB.waitFor((e) => e.type === 'fix' && e.fix.unit === 'gate-3');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(onB.events.filter((e) => e.type === 'fix' && e.fix.unit === 'gate-3').length, 1, 'a node\'s own fix is not echoed back to it');
    await onA.close();
    await onB.close();
  });
});
