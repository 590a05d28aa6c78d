// What lindero attaches to an incident, per unit: its fixes in the window as stored (each with the
// determination made when it arrived) and the crossings the track analysis finds in them.
import { ASSUMED_ACCURACY_M, type Layers } from '../geo/index.js';
import type { Store, StoredFix } from '../store/index.js';
import { analyzeTrack, type AnalysisItem } from '../analysis/index.js';
import { alertUnits } from '../live/index.js';
import type { Incident, IncidentEvidence, UnitEvidence } from './types.js';

export interface AttachOptions {
  /** 1-sigma accuracy for fixes that carry none, metres, as the server classified them. Default ASSUMED_ACCURACY_M (20). */
  defaultAccuracyM?: number;
}

/** Most fixes attached to one incident; a window holding more is refused rather than cut silently. */
export const MAX_INCIDENT_FIXES = 200_000;

async function* asItems(fixes: StoredFix[]): AsyncGenerator<AnalysisItem> {
  for (const fix of fixes) yield { kind: 'fix', fix };
}

export async function gatherEvidence(store: Store, layers: Layers, incident: Incident, options: AttachOptions = {}): Promise<IncidentEvidence> {
  const fixes = await store.fixesInWindow(incident.fromMs, incident.toMs, incident.units);
  if (fixes.length > MAX_INCIDENT_FIXES) {
    throw new RangeError(`incident ${incident.id} spans ${fixes.length} fixes; at most ${MAX_INCIDENT_FIXES} are attached to one incident`);
  }
  const byUnit = new Map<string, StoredFix[]>(incident.units.map((u) => [u, []]));
  for (const fix of fixes) byUnit.get(fix.unit)?.push(fix);
  const analysis = await analyzeTrack(asItems(fixes), layers, { defaultAccuracyM: options.defaultAccuracyM ?? ASSUMED_ACCURACY_M });
  const reports = new Map(analysis.units.map((u) => [u.unit, u]));
  const units: UnitEvidence[] = [...byUnit].map(([unit, unitFixes]) => {
    const report = reports.get(unit);
    return {
      unit,
      fixes: unitFixes,
      crossings: report?.crossings.map((c) => ({ time: c.time, lat: c.lat, lon: c.lon, from: c.from, to: c.to, confirmed: c.confirmed })) ?? [],
      closestApproach: report ? { ...report.closestApproach } : null,
    };
  });
  const alerts = (await store.alerts({ sinceMs: incident.fromMs, limit: 10_000 }))
    .filter((a) => a.time <= incident.toMs && alertUnits(a).some((u) => incident.units.includes(u)));
  return { incident, units, alerts };
}
