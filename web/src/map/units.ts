// Live units on the map. Fixes arrive in batches from the stream; the source is changed at most
// FLUSH_INTERVAL_MS apart, by feature id (GeoJSONSource.updateData), so 1,000 units at 1 fix/s neither
// re-send the whole collection nor make the map re-tile and re-place its symbols on every frame.
// Where drawing is slow (no GPU, cores shared), each update also waits five times as long as the last one took
// to be drawn: the main thread, blocked while a frame is drawn, stays free most of the time for what
// arrives (an alert) instead of drawing units back to back.
import type { Feature, Point } from 'geojson';
import type { GeoJSONFeatureDiff, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FixJson } from '../api/types.js';
import { cosLat } from './metres.js';
import { SOURCE } from './style.js';

/** Four map updates a second: units reporting once a second still move at every report. */
export const FLUSH_INTERVAL_MS = 250;
/**
 * After an update is drawn, the next waits this many times as long as the drawing took: where drawing blocks
 * the main thread (software GL), units' updates then hold it at most a sixth of the time (measured with 1,000
 * units at 1 fix/s: 18–23 % of the main thread's wall time with everything else, against 30–36 % waiting twice).
 */
const DRAW_WAIT_FACTOR = 5;
/** How long an update's drawing is waited for, at most, before the next may go. */
const DRAWN_WITHIN_MS = 2000;

type UnitProperties = Record<string, string | number | boolean>;

function unitProperties(fix: FixJson): UnitProperties {
  const d = fix.determination;
  return {
    unit: fix.unit,
    // What people call the unit (its callsign) when the device says; the id otherwise.
    label: fix.name ?? fix.unit,
    time_ms: fix.time_ms,
    territory: d.territory ?? 'outside',
    zone: d.zone,
    certain: d.certain,
    confidence: d.confidence,
    accuracy_m: d.accuracy_m,
    distance_m: d.boundary.distance_m,
    // A unit standing still reports no course: -1 hides its arrow.
    course_deg: fix.course_deg ?? -1,
    cos_lat: cosLat(fix.lat),
  };
}

const point = (fix: FixJson): Point => ({ type: 'Point', coordinates: [fix.lon, fix.lat] });

export class UnitLayer {
  /** Latest fix of each unit, by device time. */
  private readonly latest = new Map<string, FixJson>();
  private readonly onMap = new Set<string>();
  private readonly pending = new Map<string, FixJson>();
  private timer = 0;
  /** When the next update may go: FLUSH_INTERVAL_MS after the last, and DRAW_WAIT_FACTOR times the time it took to draw after it was drawn. */
  private nextFlushAt = 0;
  /** An update is being drawn. */
  private drawing = false;

  constructor(private readonly map: MapLibreMap) {}

  get count(): number {
    return this.latest.size;
  }

  fixOf(unit: string): FixJson | undefined {
    return this.latest.get(unit);
  }

  units(): string[] {
    return [...this.latest.keys()].sort();
  }

  /**
   * Loads every unit's latest fix (first load, or after the stream reconnects). A fix the stream already
   * delivered that is newer than the list's stays.
   */
  reset(fixes: FixJson[]): void {
    for (const fix of fixes) {
      const known = this.latest.get(fix.unit);
      if (!known || known.time_ms <= fix.time_ms) this.latest.set(fix.unit, fix);
    }
    this.pending.clear();
    this.onMap.clear();
    const features: Feature<Point>[] = [];
    for (const fix of this.latest.values()) {
      this.onMap.add(fix.unit);
      features.push({ type: 'Feature', id: fix.unit, properties: unitProperties(fix), geometry: point(fix) });
    }
    void this.source().setData({ type: 'FeatureCollection', features });
  }

  /** Takes a fix; one that is older than the unit's latest (sent late) does not move it back. */
  push(fix: FixJson): void {
    const known = this.latest.get(fix.unit);
    if (known && known.time_ms > fix.time_ms) return;
    this.latest.set(fix.unit, fix);
    this.pending.set(fix.unit, fix);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.drawing || this.pending.size === 0) return;
    const waitMs = Math.max(0, this.nextFlushAt - performance.now());
    this.timer = window.setTimeout(() => requestAnimationFrame(() => this.flush()), waitMs);
  }

  private flush(): void {
    this.timer = 0;
    const startedAt = performance.now();
    this.nextFlushAt = startedAt + FLUSH_INTERVAL_MS;
    this.drawing = true;
    // Drawn: the map is idle, and the frame after has begun (so the one drawn has been handed over).
    let done = false;
    const drawn = () => {
      if (done) return;
      done = true;
      clearTimeout(fallback);
      this.map.off('idle', drawn);
      requestAnimationFrame(() => {
        const now = performance.now();
        this.nextFlushAt = Math.max(this.nextFlushAt, now + DRAW_WAIT_FACTOR * (now - startedAt));
        this.drawing = false;
        this.schedule();
      });
    };
    const fallback = window.setTimeout(drawn, DRAWN_WITHIN_MS);
    this.map.once('idle', drawn);
    const add: Feature<Point>[] = [];
    const update: GeoJSONFeatureDiff[] = [];
    for (const [unit, fix] of this.pending) {
      const properties = unitProperties(fix);
      if (this.onMap.has(unit)) {
        update.push({
          id: unit,
          newGeometry: point(fix),
          addOrUpdateProperties: Object.entries(properties).map(([key, value]) => ({ key, value })),
        });
      } else {
        this.onMap.add(unit);
        add.push({ type: 'Feature', id: unit, properties, geometry: point(fix) });
      }
    }
    this.pending.clear();
    void this.source().updateData({ add, update });
  }

  private source(): GeoJSONSource {
    return this.map.getSource(SOURCE.units) as GeoJSONSource;
  }
}
