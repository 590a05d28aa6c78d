// What a late fix raises, decided from two replays of the window: the claims of rules/late-fixes.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixAt, observed, parallelLayers, T0 } from '../../test/helpers/track-support.js';
import { lateFixAlerts } from './late-fixes.js';
import { alertsForSequence } from './unit-rules.js';

const layers = parallelLayers(false);
const walk = (points: [number, number][]) => points.map(([s, north]) => observed(fixAt('u', T0 + s * 1000, north), layers));

test('a dash into Mexico that arrives late raises its crossings, marked late; nothing the window already raised is raised again', () => {
  const onTime = walk([[0, 800], [60, 900]]);
  const late = walk([[20, -400], [30, -450]]);
  const window = [...onTime, ...late].sort((a, b) => a.fix.time - b.fix.time);
  const before = alertsForSequence('u', onTime), after = alertsForSequence('u', window);
  const found = lateFixAlerts(before, after, before, T0 + 60_000);
  assert.deepEqual(found.filter((a) => a.kind === 'crossing').map((a) => [a.from, a.to, a.late, (a.time - T0) / 1000]), [['US', 'MX', true, 20], ['MX', 'US', true, 60]]);
  assert.ok(found.every((a) => a.late));
});

test('a crossing already raised within the same episode (at another fix) is not raised twice', () => {
  const window = walk([[0, 800], [20, -400], [40, -450]]);
  const after = alertsForSequence('u', window);
  const raisedLive = after.filter((a) => a.kind === 'crossing').map((a) => ({ ...a, time: a.time + 10_000 }));
  const found = lateFixAlerts([], after, raisedLive, T0 + 40_000);
  assert.deepEqual(found.filter((a) => a.kind === 'crossing'), []);
});

test('stale is never raised by a late fix: it is the clock\'s', () => {
  const window = walk([[0, 100], [1200, 120]]);
  const after = alertsForSequence('u', window);
  assert.ok(after.some((a) => a.kind === 'stale'), 'the replay has a stale');
  assert.ok(lateFixAlerts([], after, [], T0 + 1_200_000).every((a) => a.kind !== 'stale'));
});
