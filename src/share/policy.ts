// The sending side's filter: from each stored fix or alert, the records (if any) a partner may receive
// under the home side's policy, and when. Pure: no clock, no I/O; the state it keeps is the set of units
// whose last record to this partner was a position, so a unit that leaves the shared zone is withdrawn.
import type { StoreEvent, StoredAlert, StoredFix } from '../store/index.js';
import type { SharedAlertKind, SharingPolicy } from './config.js';
import { coarsen } from './grid.js';
import type { AlertRecord, ShareRecord } from './records.js';

export interface Outbound {
  record: ShareRecord;
  /** Not to leave before this server time, ms since epoch. */
  dueMs: number;
}

/** Marks a home alert about a partner's unit (raised by src/share): it is never shown to anyone else. */
export interface PartnerAlertFields {
  partner?: string;
  partnerUnit?: string;
}

export function isWithheld(policy: SharingPolicy, tags: readonly string[]): boolean {
  return tags.some((t) => policy.withholdTags.includes(t));
}

/** The delay counts from the later of device time and arrival, so a fix dated in the future cannot shorten it. */
function dueMs(policy: SharingPolicy, timeMs: number, receivedMs: number): number {
  return Math.max(timeMs, receivedMs) + policy.delayS * 1000;
}

/** Records for one stored fix. `shared` is updated: the units currently shown to this partner. */
export function recordsForFix(policy: SharingPolicy, tags: readonly string[], fix: StoredFix, shared: Set<string>): Outbound[] {
  if (isWithheld(policy, tags)) return [];
  const due = dueMs(policy, fix.time, fix.receivedMs);
  const d = fix.determination;
  if (d.boundary.distanceM > policy.boundaryWithinM) {
    // A late fix from farther out says nothing about where the unit is now.
    if (fix.late || !shared.has(fix.unit)) return [];
    shared.delete(fix.unit);
    return [{ record: { kind: 'leave', unit: fix.unit, time_ms: fix.time }, dueMs: due }];
  }
  if (!fix.late) shared.add(fix.unit);
  const at = coarsen(fix.lat, fix.lon, policy.gridM);
  const record: ShareRecord = {
    kind: 'position', unit: fix.unit, time_ms: fix.time, lat: at.lat, lon: at.lon, precision_m: at.precisionM,
    territory: d.territory, certain: d.certain, delay_s: policy.delayS,
  };
  if (fix.accuracyM !== undefined) record.accuracy_m = fix.accuracyM;
  return [{ record, dueMs: due }];
}

/** Records for one stored alert, for the partner named `partner`. */
export function recordsForAlert(
  policy: SharingPolicy, tagsOf: (unit: string) => readonly string[], alert: StoredAlert & PartnerAlertFields, partner: string,
): Outbound[] {
  if (!(policy.alerts.kinds as string[]).includes(alert.kind)) return [];
  if (isWithheld(policy, tagsOf(alert.unit))) return [];
  const d = alert.determination;
  if (d.boundary.distanceM > policy.boundaryWithinM) return [];
  let otherUnit: string | undefined;
  if (alert.partner !== undefined) {
    // About one partner's unit: that partner may hear of it, no one else.
    if (alert.partner !== partner) return [];
    otherUnit = alert.partnerUnit;
  } else if (alert.otherUnit !== undefined) {
    if (isWithheld(policy, tagsOf(alert.otherUnit))) return [];
    otherUnit = alert.otherUnit;
  }
  const record: AlertRecord = {
    kind: 'alert', alert_kind: alert.kind as SharedAlertKind, unit: alert.unit, time_ms: alert.time, territory: d.territory,
  };
  if (alert.from !== undefined) record.from = alert.from;
  if (alert.to !== undefined) record.to = alert.to;
  if (alert.confirmed !== undefined) record.confirmed = alert.confirmed;
  if (alert.emergency !== undefined) record.emergency = alert.emergency;
  if (otherUnit !== undefined) record.other_unit = otherUnit;
  if (policy.alerts.position) {
    const at = coarsen(d.lat, d.lon, policy.gridM);
    record.position = { lat: at.lat, lon: at.lon, precision_m: at.precisionM };
  }
  return [{ record, dueMs: dueMs(policy, alert.time, alert.receivedMs) }];
}

/** Records for one store event (a fix or an alert). */
export function recordsForEvent(
  policy: SharingPolicy, tagsOf: (unit: string) => readonly string[], event: StoreEvent, shared: Set<string>, partner: string,
): Outbound[] {
  return event.kind === 'fix'
    ? recordsForFix(policy, tagsOf(event.fix.unit), event.fix, shared)
    : recordsForAlert(policy, tagsOf, event.alert, partner);
}
