import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../../test/helpers/geodesic-oracle.js';
import { classify } from '../geo/index.js';
import type { Fix } from '../model/index.js';
import { alertsForSequence, UnitRules } from './unit-rules.js';
import { lateFixAlerts } from './late-fixes.js';
import { boundedGaussian, FENCE_NORTH_M, fixAt, observed, parallelLayers, T0 } from '../../test/helpers/track-support.js';
import type { Alert } from '../model/index.js';

const layers = parallelLayers();
const MINUTE = 60_000;

/** Feeds fixes as the live server does: a clock tick at each fix's time, then the fix. */
function live(unit: string, fixes: Fix[]): Alert[] {
  const rules = new UnitRules(unit);
  const out: Alert[] = [];
  for (const fix of fixes) out.push(...rules.tick(fix.time), ...rules.observe(fix, classify(fix, layers)));
  return out;
}

function describeAlert(a: Alert): string {
  return a.kind === 'crossing' ? `crossing ${a.from}>${a.to}${a.confirmed ? '' : ' unconfirmed'}` : a.kind;
}

/** A walk east at a true distance `northM` from the line, with seeded noise of σ = accuracyM across it. */
function noisyWalk(seed: number, northM: number, count: number, accuracyM = 5, start = T0): Fix[] {
  const rnd = seeded(seed);
  return Array.from({ length: count }, (_, i) => fixAt('walker', start + i * 5000, northM + boundedGaussian(rnd) * accuracyM, i * 4, accuracyM));
}

/** How often the measured value goes from one side of `threshold` to the other. */
function thresholdFlips(values: number[], threshold: number): number {
  let flips = 0;
  for (let i = 1; i < values.length; i++) if ((values[i - 1] < threshold) !== (values[i] < threshold)) flips++;
  return flips;
}

/**
 * The patrol: from 2 km inland to the line through the fence, 4 m into Mexico (inside the 3σ band), 60 m
 * in, back into the strip and out through the fence; a 12-minute silence in the strip.
 */
function patrol(): Fix[] {
  const northM = [2000, 1500, 1000, 600, 450, 350, 250, 150, 150, 50, 10, -4, -60, -120, -40, 30, 120, 280, 380, 700, 1500];
  let time = T0;
  return northM.map((y, i) => {
    time += i === 8 ? 12 * MINUTE : 30_000;
    return fixAt('BP-7', time, y, i * 20);
  });
}

const PATROL_ALERTS = ['approach', 'entered-strip', 'stale', 'crossing US>MX unconfirmed', 'crossing US>MX', 'crossing MX>US', 'left-strip'];

describe('alert rules for one unit', () => {
  it('a patrol that approaches, enters the strip, crosses and returns raises exactly the expected alerts, in order', () => {
    const alerts = live('BP-7', patrol());
    assert.deepEqual(alerts.map(describeAlert), PATROL_ALERTS);
    assert.ok(alerts.every((a) => a.unit === 'BP-7'));
    const confirmed = alerts.find((a) => a.kind === 'crossing' && a.confirmed)!;
    assert.ok(confirmed.determination.boundary.distanceM > 15, 'confirmed beyond 3σ');
    const stale = alerts.find((a) => a.kind === 'stale')!;
    assert.equal(stale.time, patrol()[7].time + 10 * MINUTE, 'stale at the moment the silence reached 10 minutes');
  });

  it('the same patrol shuffled and put back in device-time order gives the same alerts through alertsForSequence', () => {
    const fixes = patrol();
    const rnd = seeded(5);
    for (let round = 0; round < 5; round++) {
      const shuffled = fixes.map((f) => observed(f, layers));
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const resorted = [...shuffled].sort((a, b) => a.fix.time - b.fix.time);
      assert.deepEqual(alertsForSequence('BP-7', resorted).map(describeAlert), PATROL_ALERTS);
      assert.deepEqual(alertsForSequence('BP-7', shuffled).map(describeAlert), PATROL_ALERTS, 'alertsForSequence orders by device time itself');
    }
    assert.deepEqual(alertsForSequence('BP-7', fixes.map((f) => observed(f, layers))), live('BP-7', fixes));
  });

  it('a noisy walk along the warning distance raises one approach alert, and a real second approach raises a second', () => {
    const walk = noisyWalk(21, 505, 400);
    const distances = walk.map((f) => classify(f, layers).boundary.distanceM);
    assert.ok(thresholdFlips(distances, 500) >= 50, 'the noise takes the unit back and forth across 500 m');
    assert.deepEqual(live('walker', walk).map((a) => a.kind), ['approach']);
    const end = walk[walk.length - 1].time;
    const away = [fixAt('walker', end + MINUTE, 700), fixAt('walker', end + 2 * MINUTE, 450)];
    assert.deepEqual(live('walker', [...walk, ...away]).map((a) => a.kind), ['approach', 'approach']);
  });

  it('a noisy walk along the line raises no confirmed crossing and at most one unconfirmed one', () => {
    const walk = noisyWalk(22, 3, 400);
    const sides = walk.map((f) => (classify(f, layers).territory === 'US' ? 1 : -1));
    assert.ok(thresholdFlips(sides, 0) >= 50, 'raw side changes');
    const alerts = live('walker', walk).filter((a) => a.kind === 'crossing');
    assert.ok(alerts.length <= 1);
    assert.ok(alerts.every((a) => a.confirmed === false));
  });

  it('after a real crossing, a walk along the line on the far side and a return give one confirmed crossing each way', () => {
    const along = noisyWalk(23, 3, 200);
    const t = along[along.length - 1].time;
    const across = noisyWalk(24, -3, 200, 5, t + 2 * MINUTE);
    const fixes = [...along, fixAt('walker', t + MINUTE, -100), ...across, fixAt('walker', t + 30 * MINUTE, 200)];
    const crossings = live('walker', fixes).filter((a) => a.kind === 'crossing');
    assert.deepEqual(crossings.filter((a) => a.confirmed).map(describeAlert), ['crossing US>MX', 'crossing MX>US']);
    assert.ok(crossings.filter((a) => !a.confirmed).length <= 2, 'at most one early warning per walk along the line');
  });

  it('a noisy walk along the fence inside the strip enters it at most once and never leaves', () => {
    const walk = noisyWalk(25, FENCE_NORTH_M - 2, 400);
    const fenceSides = walk.map((f) => (classify(f, layers).fence!.side === 'boundary' ? 1 : -1));
    assert.ok(thresholdFlips(fenceSides, 0) >= 50);
    const strip = live('walker', walk).filter((a) => a.kind === 'entered-strip' || a.kind === 'left-strip');
    assert.ok(strip.length <= 1 && strip.every((a) => a.kind === 'entered-strip'));
  });

  it('a unit coming north from Mexico into the strip and on through the fence raises crossing, entered-strip, left-strip', () => {
    const fixes = [-900, -300, -100, 100, 200, 500, 900].map((y, i) => fixAt('MX-1', T0 + i * 30_000, y));
    assert.deepEqual(live('MX-1', fixes).map(describeAlert), ['approach', 'crossing MX>US', 'entered-strip', 'left-strip']);
  });

  it('a fix with 50 m accuracy 100 m into Mexico is a crossing, but not a confirmed one', () => {
    const fixes = [fixAt('u', T0, 200, 0, 50), fixAt('u', T0 + 30_000, -100, 0, 50)];
    const crossings = live('u', fixes).filter((a) => a.kind === 'crossing');
    assert.deepEqual(crossings.map(describeAlert), ['crossing US>MX unconfirmed']);
  });

  it('stale fires once per silence, only near the line, when the silence reaches staleAfterMs', () => {
    const near = new UnitRules('u', { staleAfterMs: 5 * MINUTE });
    const fix = fixAt('u', T0, 200);
    near.observe(fix, classify(fix, layers));
    assert.deepEqual(near.tick(T0 + 5 * MINUTE - 1), []);
    assert.deepEqual(near.tick(T0 + 6 * MINUTE).map((a) => [a.kind, a.time]), [['stale', T0 + 5 * MINUTE]]);
    assert.deepEqual(near.tick(T0 + 60 * MINUTE), [], 'once per silence');
    const next = fixAt('u', T0 + 61 * MINUTE, 210);
    near.observe(next, classify(next, layers));
    assert.equal(near.tick(T0 + 70 * MINUTE).length, 1, 'a new silence can be stale again');
    const far = new UnitRules('v');
    const inland = fixAt('v', T0, 3000);
    far.observe(inland, classify(inland, layers));
    assert.deepEqual(far.tick(T0 + 60 * MINUTE), [], 'far from the line silence is not alarming');
    assert.deepEqual(new UnitRules('w').tick(T0), [], 'a unit never seen is not stale');
  });

  it('a unit that reports every 10 minutes (a satellite messenger) is stale after twice that, not at 10 minutes; a phone at 30 s still is', () => {
    const messenger = Array.from({ length: 6 }, (_, i) => fixAt('sat', T0 + i * 10 * MINUTE, 200 - i * 10));
    const rules = new UnitRules('sat');
    rules.observe(messenger[0], classify(messenger[0], layers));
    rules.observe(messenger[1], classify(messenger[1], layers));
    assert.equal(rules.staleAfterMs(), 10 * MINUTE, 'one interval is no cadence yet');
    for (const fix of messenger.slice(2, 4)) rules.observe(fix, classify(fix, layers));
    assert.equal(rules.staleAfterMs(), 20 * MINUTE, 'intervals of 10 minutes: the usual one is 10');
    const last = messenger[3].time;
    assert.deepEqual(rules.tick(last + 19 * MINUTE), [], 'a report late by less than one interval is not stale');
    assert.deepEqual(rules.tick(last + 21 * MINUTE).map((a) => [a.kind, a.time]), [['stale', last + 20 * MINUTE]]);
    // Replayed with its reports on time, it is stale only while its cadence was not yet known (its first two).
    const onTime = [T0 + 10 * MINUTE, T0 + 20 * MINUTE];
    assert.deepEqual(alertsForSequence('sat', messenger.map((f) => observed(f, layers))).filter((a) => a.kind === 'stale').map((a) => a.time), onTime);
    const gap = [...messenger.slice(0, 4), fixAt('sat', last + 25 * MINUTE, 150)];
    assert.deepEqual(alertsForSequence('sat', gap.map((f) => observed(f, layers))).filter((a) => a.kind === 'stale').map((a) => a.time), [...onTime, last + 20 * MINUTE]);
    // A phone every 30 s: its usual interval is short, and 10 minutes decides as before.
    const phone = new UnitRules('phone');
    for (let i = 0; i < 6; i++) {
      const fix = fixAt('phone', T0 + i * 30_000, 200);
      phone.observe(fix, classify(fix, layers));
    }
    assert.equal(phone.staleAfterMs(), 10 * MINUTE);
    // One long silence among short intervals does not make a unit's usual interval long, nor two among four.
    const mixed = new UnitRules('mixed');
    for (const t of [0, 30_000, 60_000, 60_000 + 60 * MINUTE, 90_000 + 60 * MINUTE, 90_000 + 120 * MINUTE]) {
      const fix = fixAt('mixed', T0 + t, 200);
      mixed.observe(fix, classify(fix, layers));
    }
    assert.equal(mixed.staleAfterMs(), 10 * MINUTE);
  });

  it('a fix older than the last one observed is not applied: it raises nothing and changes nothing', () => {
    const rules = new UnitRules('u');
    const a = fixAt('u', T0, 2000), late = fixAt('u', T0 - MINUTE, 100), b = fixAt('u', T0 + MINUTE, 100);
    rules.observe(a, classify(a, layers));
    assert.deepEqual(rules.observe(late, classify(late, layers)), []);
    assert.deepEqual(rules.observe(b, classify(b, layers)).map((x) => x.kind), ['approach', 'entered-strip'], 'as if the late fix had never come');
  });

  it('options are checked and a wider warning distance warns earlier', () => {
    assert.throws(() => new UnitRules('u', { warningDistanceM: -1 }), RangeError);
    assert.throws(() => new UnitRules('u', { confirmSigma: Number.NaN }), RangeError);
    const fix = fixAt('u', T0, 800);
    assert.deepEqual(new UnitRules('u', { warningDistanceM: 1000 }).observe(fix, classify(fix, layers)).map((a) => a.kind), ['approach']);
    assert.deepEqual(new UnitRules('u').observe(fix, classify(fix, layers)), []);
  });
});

describe('emergencies', () => {
  const sos = (time: number, northM: number, state: 'declared' | 'cancelled' = 'declared'): Fix => ({ ...fixAt('medic', time, northM), emergency: { state, what: state === 'declared' ? 'Declare SOS' : 'Cancel SOS' } });

  it('an SOS raises an emergency alert first, wherever the unit is; its repeats do not, until ten minutes pass without one or it is cancelled', () => {
    const fixes = [
      fixAt('medic', T0, 20_000), sos(T0 + MINUTE, 20_000), sos(T0 + 2 * MINUTE, 20_000), fixAt('medic', T0 + 3 * MINUTE, 20_000),
      // Nine minutes after the last SOS: the same emergency. Then eleven minutes without one: a new one.
      sos(T0 + 11 * MINUTE, 20_000), sos(T0 + 22 * MINUTE, 20_000),
      sos(T0 + 23 * MINUTE, 20_000, 'cancelled'), sos(T0 + 24 * MINUTE, 20_000),
    ];
    const alerts = live('medic', fixes);
    assert.deepEqual(alerts.map((a) => [a.kind, (a.time - T0) / MINUTE, a.emergency]), [
      ['emergency', 1, 'Declare SOS'], ['emergency', 22, 'Declare SOS'], ['emergency-cancelled', 23, 'Cancel SOS'], ['emergency', 24, 'Declare SOS'],
    ]);
    // The alert carries where the unit was, as every alert does.
    assert.equal(alerts[0].determination.boundary.distanceM > 19_000, true);
  });

  it('an SOS near the line raises the emergency before the approach it also raises', () => {
    assert.deepEqual(live('medic', [fixAt('medic', T0, 2_000), sos(T0 + 5_000, 300)]).map((a) => a.kind), ['emergency', 'approach']);
  });

  it('a late SOS is found by the replay of the window, as a late crossing is', () => {
    const inOrder = [fixAt('medic', T0, 20_000), fixAt('medic', T0 + 2 * MINUTE, 20_000)];
    const withLate = [...inOrder, sos(T0 + MINUTE, 20_000)];
    const before = alertsForSequence('medic', inOrder.map((f) => observed(f, layers)));
    const after = alertsForSequence('medic', withLate.map((f) => observed(f, layers)));
    assert.deepEqual(lateFixAlerts(before, after, [], T0 + 2 * MINUTE).map((a) => [a.kind, a.late]), [['emergency', true]]);
  });
});

describe('emergencies without a position, raised apart', () => {
  const sos = (time: number): Fix => ({ ...fixAt('medic', time, 20_000), emergency: { state: 'declared', what: 'SOS' } });
  it('one declared without a position makes the next with one a repeat; one cancelled so makes the next a new emergency', () => {
    const rules = new UnitRules('medic');
    const observe = (fix: Fix) => rules.observe(fix, classify(fix, layers)).map((a) => a.kind);
    assert.deepEqual(observe(fixAt('medic', T0, 20_000)), []);
    rules.emergencyWithoutPosition('declared', T0 + MINUTE);
    assert.deepEqual(observe(sos(T0 + 2 * MINUTE)), [], 'the same emergency');
    rules.emergencyWithoutPosition('cancelled', T0 + 3 * MINUTE);
    assert.deepEqual(observe(sos(T0 + 4 * MINUTE)), ['emergency'], 'a new one after the cancel');
  });
});
