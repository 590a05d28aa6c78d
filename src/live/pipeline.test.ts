// The live pipeline on its own: an in-memory store, the pure rules and the event hub, no sockets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutOffWhile, wrappedStore } from '../../test/helpers/store-fixtures.js';
import { fixAt, parallelLayers, T0 } from '../../test/helpers/track-support.js';
import { trackRulesEngine } from '../rules/index.js';
import { LinderoError } from '../model/index.js';
import { openMemoryStore, type Store } from '../store/index.js';
import { EventHub, type ServerEvent } from './events.js';
import { AlertRules } from './late-fixes.js';
import { Pipeline } from './pipeline.js';

const layers = parallelLayers(false);

async function pipelineOn(store: Store, rulesStore: Store = store): Promise<{ pipeline: Pipeline; events: ServerEvent[]; errors: string[] }> {
  const hub = new EventHub();
  const events: ServerEvent[] = [];
  hub.subscribe((e) => events.push(e));
  const errors: string[] = [];
  const pipeline = new Pipeline({
    store, layers, hub, rules: new AlertRules(trackRulesEngine(), rulesStore), log: { error: (_f, m) => errors.push(m) }, now: () => T0 + 3_600_000,
  });
  await pipeline.start();
  return { pipeline, events, errors };
}

describe('the live pipeline', () => {
  it('a fix that crosses into Mexico is committed with the crossing it raised, and subscribers hear the fix before its alert', async () => {
    const store = openMemoryStore();
    const { pipeline, events } = await pipelineOn(store);
    await pipeline.ingest([fixAt('bravo-1', T0, 800)]);
    const outcome = await pipeline.ingest([fixAt('bravo-1', T0 + 10_000, 300), fixAt('bravo-1', T0 + 20_000, -200)]);
    await pipeline.settle();
    assert.equal(outcome.rejected.length, 0);
    const alerts = await store.alerts();
    const crossing = alerts.find((a) => a.kind === 'crossing');
    assert.ok(crossing, 'a crossing alert is stored');
    assert.deepEqual([crossing.from, crossing.to, crossing.confirmed, crossing.time], ['US', 'MX', true, T0 + 20_000]);
    const crossingFix = (await store.track('bravo-1')).find((f) => f.time === T0 + 20_000)!;
    assert.ok(crossingFix.seq < crossing.seq, 'the fix is stored before the alert it raised');
    const order = events.filter((e) => e.type === 'fix' || e.type === 'alert').map((e) => (e.type === 'fix' ? `fix ${e.fix.time - T0}` : `alert ${e.alert.kind}`));
    assert.ok(order.indexOf('fix 20000') < order.indexOf('alert crossing'), order.join(', '));
    await store.close();
  });

  it('a late fix is reconciled after the commit: the crossing it reveals is raised once, marked late', async () => {
    const store = openMemoryStore();
    const { pipeline } = await pipelineOn(store);
    await pipeline.ingest([fixAt('bravo-2', T0, 800), fixAt('bravo-2', T0 + 60_000, 900)]);
    // Arriving now, but recorded between the two: a dash into Mexico the unit's device had buffered.
    await pipeline.ingest([fixAt('bravo-2', T0 + 20_000, -400), fixAt('bravo-2', T0 + 30_000, -450)]);
    await pipeline.settle();
    const crossings = (await store.alerts()).filter((a) => a.kind === 'crossing' && a.confirmed);
    assert.deepEqual(crossings.map((a) => [a.from, a.to, a.late, a.time - T0]), [['US', 'MX', true, 20_000], ['MX', 'US', true, 60_000]]);
    await store.close();
  });

  it('a unit\'s history that cannot be read for a moment (the store failing) is read again: the late fix\'s crossings are still raised', async () => {
    const store = openMemoryStore();
    let failuresLeft = 0;
    // The rules read the store through this: its next reads of a track fail as a cut-off transaction would.
    const flaky = wrappedStore(store, { track: cutOffWhile(() => failuresLeft-- > 0) });
    const { pipeline, errors } = await pipelineOn(store, flaky);
    await pipeline.ingest([fixAt('bravo-7', T0, 800), fixAt('bravo-7', T0 + 60_000, 900)]);
    await pipeline.settle();
    failuresLeft = 2;
    await pipeline.ingest([fixAt('bravo-7', T0 + 20_000, -400), fixAt('bravo-7', T0 + 30_000, -450)]);
    await pipeline.settle();
    assert.ok(failuresLeft < 0, 'the reads failed as asked');
    const crossings = (await store.alerts()).filter((a) => a.kind === 'crossing' && a.confirmed);
    assert.deepEqual(crossings.map((a) => [a.from, a.to, a.late, a.time - T0]), [['US', 'MX', true, 20_000], ['MX', 'US', true, 60_000]]);
    assert.deepEqual(errors, []);
    await store.close();
  });

  it('when the store cannot commit, ingest fails, nothing is published, and the next fixes are judged from what was stored', async () => {
    const store = openMemoryStore();
    const { pipeline, events } = await pipelineOn(store);
    await pipeline.ingest([fixAt('bravo-3', T0, 800)]);
    const before = events.length;
    const append = store.appendFixesAndAlerts.bind(store);
    store.appendFixesAndAlerts = () => Promise.reject(new Error('disk full'));
    await assert.rejects(pipeline.ingest([fixAt('bravo-3', T0 + 10_000, -300)]), /disk full/);
    assert.equal(events.length, before, 'nothing published for fixes not stored');
    store.appendFixesAndAlerts = append;
    await pipeline.ingest([fixAt('bravo-3', T0 + 20_000, -300)]);
    await pipeline.settle();
    const crossings = (await store.alerts()).filter((a) => a.kind === 'crossing');
    assert.deepEqual(crossings.map((a) => a.time - T0), [20_000], 'the crossing is raised by the fix that was stored');
    await store.close();
  });

  it('an emergency without a position is placed at the last fix and says so; its repeat is not raised again, but the same report sent again after the store failed is', async () => {
    const store = openMemoryStore();
    const { pipeline, events } = await pipelineOn(store);
    await pipeline.ingest([fixAt('medic-9', T0, 5_000)]);
    const report = { unit: 'medic-9', time: T0 + 60_000, source: 'inreach' as const, emergency: { state: 'declared' as const, what: 'Declare SOS' }, reason: 'no GPS fix' };
    const append = store.appendAlert.bind(store);
    store.appendAlert = () => Promise.reject(new Error('disk full'));
    await assert.rejects(pipeline.emergencyWithoutPosition(report), /disk full/);
    assert.equal(events.filter((e) => e.type === 'alert').length, 0);
    store.appendAlert = append;
    // Garmin sends the post again: raised now, not taken for a repeat of the one that was not stored.
    const raised = await pipeline.emergencyWithoutPosition(report);
    assert.deepEqual([raised?.kind, raised?.lastKnownTime, raised?.determination.lat], ['emergency', T0, fixAt('medic-9', T0, 5_000).lat]);
    // Two minutes later, still without a position: the same emergency.
    assert.equal(await pipeline.emergencyWithoutPosition({ ...report, time: T0 + 180_000 }), null);
    // A unit never seen cannot be placed: nothing raised, and the error is logged.
    assert.equal(await pipeline.emergencyWithoutPosition({ ...report, unit: 'ghost' }), null);
    assert.deepEqual((await store.alerts()).map((a) => [a.unit, a.kind]), [['medic-9', 'emergency']]);
    await store.close();
  });

  it('a fix the store refuses is refused alone: the fixes beside it are stored and their crossing raised', async () => {
    const store = openMemoryStore();
    const { pipeline } = await pipelineOn(store);
    await pipeline.ingest([fixAt('bravo-5', T0, 800)]);
    const append = store.appendFixesAndAlerts.bind(store);
    // The store's own checks are stricter than the pipeline's for this fix (as the territory check was).
    store.appendFixesAndAlerts = (items, alerts) => {
      const bad = items.findIndex((i) => i.fix.unit === 'odd');
      if (bad >= 0) return Promise.reject(new LinderoError('store-bad-fix', 'refused by the store', { index: bad, field: 'determination.territory' }));
      return append(items, alerts);
    };
    const outcome = await pipeline.ingest([fixAt('bravo-5', T0 + 10_000, 300), fixAt('odd', T0 + 10_000, 100), fixAt('bravo-5', T0 + 20_000, -200)]);
    await pipeline.settle();
    assert.deepEqual(outcome.rejected.map((r) => r.index), [1]);
    assert.match(outcome.rejected[0].reason, /refused by the store/);
    assert.deepEqual(outcome.results.map((r) => r?.status ?? null), ['stored', null, 'stored']);
    assert.deepEqual((await store.alerts()).filter((a) => a.kind === 'crossing').map((a) => a.time - T0), [20_000]);
    await store.close();
  });

  it('a pipeline started again on the same store names the unit\'s fixes and alerts by the callsign stored with its latest fix', async () => {
    const store = openMemoryStore();
    const first = await pipelineOn(store);
    await first.pipeline.ingest([{ ...fixAt('ANDROID-4', T0, 800), name: 'NOVA', group: 'Cyan', notes: ['speed is -3 m/s, outside 0..1000; left off'] }]);
    await first.pipeline.settle();
    // A restart: nothing in memory, the store as it was. The device's next fixes say no callsign.
    const { pipeline } = await pipelineOn(store);
    await pipeline.ingest([fixAt('ANDROID-4', T0 + 10_000, 300), fixAt('ANDROID-4', T0 + 20_000, -200)]);
    await pipeline.settle();
    const alerts = await store.alerts();
    assert.ok(alerts.some((a) => a.kind === 'crossing'), alerts.map((a) => a.kind).join(', '));
    assert.deepEqual(alerts.map((a) => a.name), alerts.map(() => 'NOVA'));
    const track = await store.track('ANDROID-4');
    assert.deepEqual(track.map((f) => f.name), ['NOVA', 'NOVA', 'NOVA']);
    assert.deepEqual(track.map((f) => f.notes), [['speed is -3 m/s, outside 0..1000; left off'], undefined, undefined]);
    await store.close();
  });
});
