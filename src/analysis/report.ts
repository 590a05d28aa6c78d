// What `lindero track` finds in a recorded track, and its JSON form.

export interface CrossingReport {
  /** ms since epoch, UTC; interpolated along the segment between two fixes at constant speed. */
  time: number;
  lat: number;
  lon: number;
  from: string;
  to: string;
  /** The unit was settled beyond confirmSigma·σ on the near side before and on the far side after. */
  confirmed: boolean;
}

export interface ClosestApproach {
  time: number;
  lat: number;
  lon: number;
  distanceM: number;
  /** Null outside every territory the layers cover. */
  territory: string | null;
}

/** A fix that declared or cancelled an emergency (an SOS), where it was. */
export interface EmergencyReport {
  time: number;
  state: 'declared' | 'cancelled';
  /** The device's own name for it ("Declare SOS", "SOS", "911 Alert"). */
  what: string;
  lat: number;
  lon: number;
  /** Null outside every territory the layers cover. */
  territory: string | null;
  distanceM: number;
}

/** Fixes further apart in time than the gap threshold; `crossed`: the side changed across it. */
export interface GapReport {
  from: number;
  to: number;
  crossed: boolean;
}

export interface UnitReport {
  unit: string;
  points: number;
  start: number;
  end: number;
  crossings: CrossingReport[];
  /** The recorded fix nearest the line. */
  closestApproach: ClosestApproach;
  /** Seconds in each territory of the boundary layer, between fixes no further apart than the gap threshold. */
  timeInS: Record<string, number>;
  strip: { entries: number; seconds: number };
  /** Deepest recorded fix inside each territory, metres from the line; null where the unit never was. */
  maxDepthM: Record<string, number | null>;
  gaps: GapReport[];
  /** Every fix that declared or cancelled an emergency, in device-time order (SPOT's SOS, an inReach SOS kept). */
  emergencies: EmergencyReport[];
  /** The accepted fixes as lines split at gaps, each flat lon, lat, lon, lat…; kept only when asked for (GeoJSON output). */
  track?: Float64Array[];
}

export interface RejectedRecord {
  file: string;
  /** 1-based line, or 0 where the format or the check has no line to point at. */
  line: number;
  reason: string;
  /** No position report at all (a GPX waypoint or route point beside a track, an NMEA epoch without a fix): listed, not an error in the input. */
  notAReport?: true;
}

export interface TrackReport {
  units: UnitReport[];
  rejected: RejectedRecord[];
  /** The territories the boundary layer separates. */
  territories: string[];
  /** Whether a fence layer was given (without one there is no strip). */
  fences: boolean;
  /** How many fixes were classified (the others were proven unable to change the report). */
  classified: number;
}

/** A time as the reports write it: ISO 8601 UTC, to the millisecond. */
export const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
/** Metres to the millimetre and seconds to the millisecond: what the inputs can support. */
export const mm = (m: number) => Math.round(m * 1000) / 1000;
const deg = (d: number) => Math.round(d * 1e9) / 1e9;

/** The `--json` shape: snake_case, ISO 8601 UTC times. */
export function trackReportJson(report: TrackReport): object {
  return {
    units: report.units.map((u) => ({
      unit: u.unit,
      points: u.points,
      start: iso(u.start),
      end: iso(u.end),
      crossings: u.crossings.map((c) => ({ time: iso(c.time), lat: deg(c.lat), lon: deg(c.lon), from: c.from, to: c.to, confirmed: c.confirmed })),
      closest_approach: {
        time: iso(u.closestApproach.time),
        lat: deg(u.closestApproach.lat),
        lon: deg(u.closestApproach.lon),
        distance_m: mm(u.closestApproach.distanceM),
        territory: u.closestApproach.territory,
      },
      time_in: mapValues(u.timeInS, mm),
      strip: { entries: u.strip.entries, seconds: mm(u.strip.seconds) },
      max_depth_m: mapValues(u.maxDepthM, (m) => (m === null ? null : mm(m))),
      gaps: u.gaps.map((g) => ({ from: iso(g.from), to: iso(g.to), crossed: g.crossed })),
      emergencies: u.emergencies.map((e) => ({
        time: iso(e.time), state: e.state, what: e.what, lat: deg(e.lat), lon: deg(e.lon), territory: e.territory, distance_m: mm(e.distanceM),
      })),
    })),
    rejected: report.rejected.map((r) => ({ file: r.file, line: r.line, reason: r.reason, ...(r.notAReport && { not_a_report: true }) })),
  };
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
