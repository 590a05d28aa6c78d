// What a late fix (one older than the newest a unit's rules have seen) raises, decided purely: the unit's
// window of fixes is replayed without and with the late ones, and the alerts only the replay with them
// produces are candidates. Comparing two replays of the same window, not a replay with what was raised
// live, keeps the replay's fresh start at the window edge from inventing alerts. A candidate is dropped
// when an alert of the same kind and direction was already raised within its episode (from its time to
// the next alert of that kind in the replay): that real event has been reported once, at another fix.
import type { Alert } from '../model/index.js';

/** What makes two alerts the same event: kind, direction and the other unit. */
const kindKey = (a: Alert) => `${a.kind}|${a.from ?? ''}|${a.to ?? ''}|${a.otherUnit ?? ''}`;
const exactKey = (a: Alert) => `${kindKey(a)}|${a.time}`;

/**
 * The alerts the late fixes raise. `before` and `after` are the replays of the window without and with
 * them; `raised` what was already raised for the unit; alerts at or before `latestSeenMs` (the newest fix
 * the rules had seen) are marked late. Stale is about the live feed going quiet and is raised by the clock;
 * a late fix does not revisit it.
 */
export function lateFixAlerts(before: readonly Alert[], after: readonly Alert[], raised: readonly Alert[], latestSeenMs: number): Alert[] {
  const seenBefore = new Set(before.map(exactKey));
  return after
    .filter((a) => a.kind !== 'stale' && !seenBefore.has(exactKey(a)) && !raisedInEpisode(a, after, raised))
    .map((a) => (a.time <= latestSeenMs ? { ...a, late: true } : a));
}

function raisedInEpisode(alert: Alert, replay: readonly Alert[], raised: readonly Alert[]): boolean {
  const key = kindKey(alert);
  const next = replay.find((a) => a.time > alert.time && kindKey(a) === key);
  const endMs = next ? next.time : Infinity;
  return raised.some((r) => kindKey(r) === key && r.time >= alert.time && r.time < endMs);
}
