// Map markers heard from TAK clients (placed points, spot markers, lindero's own alert markers sent
// back): kept apart from units, so a map user can still see them, but never tracked, classified into
// alerts or put in incidents. In memory only, the latest per uid, bounded, gone when stale.
import type { CotFix } from '../ingest/index.js';

export interface Marker {
  uid: string;
  /** The marker's label (its callsign), when it has one. */
  name?: string;
  type: string;
  how?: string;
  lat: number;
  lon: number;
  time: number;
  /** When the sender says it goes stale, ms since epoch. */
  stale?: number;
  /** Why it is a marker and not a unit. */
  notUnitBecause: string;
  /** lindero's own alert marker, come back. */
  own: boolean;
}

/** Markers kept at most; the oldest heard goes first. */
export const MAX_MARKERS = 10_000;
/** A marker without a stale time is kept this long after it was last heard. */
const DEFAULT_MARKER_LIFE_MS = 60 * 60_000;

export class MarkerBoard {
  private readonly byUid = new Map<string, Marker>();

  /** `heard` is told of each marker kept (e.g. to stream it to the dashboards). */
  constructor(private readonly now: () => number = Date.now, private readonly heard: (marker: Marker) => void = () => {}) {}

  /** Keeps each marker (the latest per uid); lindero's own markers are counted but not kept. */
  note(events: readonly CotFix[]): void {
    for (const event of events) {
      if (event.role !== 'marker') continue;
      const marker = markerOf(event);
      if (marker.own) continue;
      this.byUid.delete(marker.uid);
      this.byUid.set(marker.uid, marker);
      if (this.byUid.size > MAX_MARKERS) this.byUid.delete(this.byUid.keys().next().value!);
      this.heard(marker);
    }
  }

  /** The markers not yet stale, oldest heard first. */
  list(): Marker[] {
    const now = this.now();
    const out: Marker[] = [];
    for (const [uid, marker] of this.byUid) {
      if ((marker.stale ?? marker.time + DEFAULT_MARKER_LIFE_MS) < now) this.byUid.delete(uid);
      else out.push(marker);
    }
    return out;
  }
}

export function markerOf(event: CotFix): Marker {
  const { fix } = event;
  const marker: Marker = {
    uid: fix.unit, type: event.type, lat: fix.lat, lon: fix.lon, time: fix.time,
    notUnitBecause: event.notUnitBecause ?? 'not a unit', own: event.notUnitBecause === "lindero's own marker",
  };
  if (fix.name !== undefined) marker.name = fix.name;
  if (event.how !== undefined) marker.how = event.how;
  if (event.stale !== undefined) marker.stale = event.stale;
  return marker;
}
