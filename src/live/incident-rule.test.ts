// The incident rule: which alerts open or extend an incident, and that it picks up where it left off.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { foldIncidents } from './incident-records.js';
import { IncidentRule } from './incident-rule.js';
import { openSqliteStore } from '../store/index.js';
import { alertFor, tempDir } from '../../test/helpers/store-fixtures.js';

const T0 = Date.UTC(2019, 3, 13, 15, 0, 0);

const tmp = tempDir('lindero-incident-rule-');
after(() => tmp.remove());
const MIN = 60_000;

test('approach, strip, stale and emergency-cancelled alerts open nothing; a crossing opens an incident around it', async () => {
  const store = await openSqliteStore(tmp.file('kinds.db'));
  for (const kind of ['approach', 'entered-strip', 'left-strip', 'stale'] as const) await store.appendAlert(alertFor('bp-7', T0, kind));
  await store.appendAlert({ ...alertFor('bp-9', T0, 'emergency-cancelled'), emergency: 'Cancel SOS' });
  const service = new IncidentRule(store);
  const list = async () => foldIncidents(await store.incidentRecords());
  await service.catchUp();
  assert.deepEqual(await list(), []);
  await store.appendAlert({ ...alertFor('bp-7', T0 + MIN, 'crossing'), from: 'US', to: 'MX', confirmed: true });
  await service.catchUp();
  const [incident] = await list();
  assert.equal(incident.fromMs, T0 + MIN - 15 * MIN);
  assert.equal(incident.toMs, T0 + MIN + 15 * MIN);
  assert.deepEqual(incident.units, ['bp-7']);
  assert.deepEqual(incident.openedBy, { by: 'rule', alertId: 6, alertKind: 'crossing' });
  await store.close();
});

test("a unit's emergency (its SOS) opens an incident around it, as a crossing does", async () => {
  const store = await openSqliteStore(tmp.file('emergency.db'));
  await store.appendAlert({ ...alertFor('bp-8', T0, 'emergency'), emergency: '911 Alert' });
  await new IncidentRule(store).catchUp();
  const [incident] = foldIncidents(await store.incidentRecords());
  assert.deepEqual([incident.units, incident.fromMs, incident.toMs, incident.openedBy], [['bp-8'], T0 - 15 * MIN, T0 + 15 * MIN, { by: 'rule', alertId: 1, alertKind: 'emergency' }]);
  await store.close();
});

test('a later alert for a unit of an open incident extends it; one for other units, or after the window, opens another', async () => {
  const store = await openSqliteStore(tmp.file('extend.db'));
  const service = new IncidentRule(store);
  const list = async () => foldIncidents(await store.incidentRecords());
  await store.appendAlert({ ...alertFor('mx-1', T0, 'crossing'), from: 'MX', to: 'US' });
  await store.appendAlert({ ...alertFor('mx-1', T0 + 10 * MIN, 'proximity'), otherUnit: 'us-1', unitDistanceM: 40 });
  await store.appendAlert({ ...alertFor('gt-9', T0 + 11 * MIN, 'crossing'), from: 'MX', to: 'US' });
  await store.appendAlert({ ...alertFor('us-1', T0 + 2 * 60 * MIN, 'crossing'), from: 'US', to: 'MX' });
  await service.catchUp();
  const incidents = await list();
  assert.deepEqual(incidents.map((i) => [i.id, i.units, i.alertIds]), [[1, ['mx-1', 'us-1'], [1, 2]], [2, ['gt-9'], [3]], [3, ['us-1'], [4]]]);
  assert.equal(incidents[0].toMs, T0 + 25 * MIN, 'the window grows to 15 minutes after the last alert');
  await store.close();
});

test('after a restart the rule takes up the alerts stored meanwhile, never the same alert twice', async () => {
  const file = tmp.file('restart.db');
  let store = await openSqliteStore(file);
  await store.appendAlert({ ...alertFor('mx-1', T0, 'crossing'), from: 'MX', to: 'US' });
  await new IncidentRule(store).catchUp();
  await store.appendAlert({ ...alertFor('mx-1', T0 + MIN, 'crossing'), from: 'US', to: 'MX' });
  await store.close();
  store = await openSqliteStore(file);
  const service = new IncidentRule(store);
  const list = async () => foldIncidents(await store.incidentRecords());
  await Promise.all([service.catchUp(), service.catchUp(), service.catchUp()]);
  await new IncidentRule(store).catchUp();
  const records = await store.incidentRecords();
  assert.deepEqual(records.map((r) => [r.action, r.record.alert_id]), [['opened', 1], ['extended', 2]]);
  assert.equal(foldIncidents(records).length, 1);
  await store.close();
});

test('between its runs the rule reads only the records stored since, and sees those an operator added', async () => {
  const store = await openSqliteStore(tmp.file('between.db'));
  const service = new IncidentRule(store);
  await store.appendAlert({ ...alertFor('mx-1', T0, 'crossing'), from: 'MX', to: 'US' });
  await service.catchUp();
  // An operator opens an incident of a unit the rule has not seen yet, and notes the rule's incident.
  const byOperator = await store.appendIncidentRecord({ incidentId: null, action: 'opened', record: { from_ms: T0, to_ms: T0 + 60 * MIN, units: ['gt-9'], opened_by: 'operator' } });
  await store.appendIncidentRecord({ incidentId: 1, action: 'noted', record: { text: 'seen from the tower' } });
  const reads: (number | undefined)[] = [];
  const read = store.incidentRecords.bind(store);
  store.incidentRecords = (incidentId?: number, afterId?: number) => {
    reads.push(afterId);
    return read(incidentId, afterId);
  };
  await store.appendAlert({ ...alertFor('gt-9', T0 + 5 * MIN, 'crossing'), from: 'MX', to: 'US' });
  await store.appendAlert({ ...alertFor('mx-1', T0 + 6 * MIN, 'crossing'), from: 'US', to: 'MX' });
  await service.catchUp();
  assert.deepEqual(reads, [1], 'one read, of the records after the one it had read');
  const incidents = foldIncidents(await read());
  assert.deepEqual(incidents.map((i) => [i.id, i.units, i.alertIds, i.notes.length]), [[1, ['mx-1'], [1, 3], 1], [byOperator.incidentId, ['gt-9'], [2], 0]]);
  await store.close();
});

test('an incident folded from records that are out of place is refused as corrupt, not guessed', () => {
  const record = (id: number, incidentId: number, action: 'opened' | 'extended', body: Record<string, unknown>) =>
    ({ id, incidentId, action, receivedMs: T0, record: body, chainN: id });
  assert.throws(() => foldIncidents([record(1, 1, 'extended', { from_ms: 0, to_ms: 1, add_units: [] })]), { code: 'store-corrupt' });
  assert.throws(() => foldIncidents([record(1, 1, 'opened', { from_ms: 0 })]), /no window or units/);
  const opened = { from_ms: 0, to_ms: 1, units: ['a'], place: null, opened_by: 'operator' };
  assert.throws(() => foldIncidents([record(1, 1, 'opened', opened), record(2, 1, 'opened', opened)]), /opened only once/);
});
