// GPX 1.0 / 1.1 tracks, streamed with saxes: trk/trkseg/trkpt, else rte/rtept, else wpt.
// The waypoint rule (docs/device-fields.md, the same for every file format): a timed point is read as a
// position only when the file has no track; in a file with a track, waypoints and route points are marked
// places or plans, and each is listed as not used with that reason, never dropped unsaid.
import { LinderoError } from '../../model/index.js';
import { accuracyFromHdop } from '../nmea.js';
import { newDraft, noteValueElement, POINT_VALUES, setValue, type PointDraft } from './gpx-point.js';
import { TrackPointShortcut } from './gpx-shortcut.js';
import { buildFix, parseDecimal } from './make-fix.js';
import { parseIsoTime } from './time.js';
import type { ReaderContext, TrackBatches, TrackItem } from './types.js';
import { walkXml, type XmlElementHandler } from './xml.js';

/** Waypoints and route points are held back until we know the file has no track; this caps that. */
const MAX_HELD_POINTS = 200_000;
const POINT_TAGS = new Set(['trkpt', 'rtept', 'wpt']);
const NUMERIC_VALUES = ['ele', 'hdop', 'accuracy', 'speed', 'course', 'heading', 'bearing'] as const;

/** An optional numeric element: undefined when absent or empty, null when it is not a number. */
function optional(raw: string | undefined): number | undefined | null {
  return raw ? parseDecimal(raw) ?? null : undefined;
}

/** `saxesOnly` reads every point through saxes (to check that the shortcut changes nothing). */
export function readGpx(chunks: AsyncIterable<string>, ctx: ReaderContext, saxesOnly = false): TrackBatches {
  const out: TrackItem[] = [];
  const handler = new GpxHandler(ctx, out);
  // Track points of the plain shape skip saxes; the rest, and everything around them, go through it.
  const shortcut = new TrackPointShortcut(() => handler.betweenPoints(), (draft) => handler.trackPoint(draft));
  return walkXml(chunks, ctx, 'gpx', handler, out, saxesOnly ? undefined : shortcut);
}

class GpxHandler implements XmlElementHandler {
  /** OsmAnd writes Android's accuracy (metres, 68%) into <hdop>, not a dilution of precision. */
  private hdopIsMetres = false;
  private sawTrack = false;
  private groupName?: string;
  private point?: PointDraft;
  private held: TrackItem[] = [];
  /** Where each held point is, to list it as not used if a track turns up. */
  private heldPlaces: { tag: string; line: number }[] = [];

  constructor(private readonly ctx: ReaderContext, private readonly out: TrackItem[]) {}

  open(name: string, attrs: Record<string, string>, line: number, parent: string | undefined, qualified: string): boolean {
    if (this.point) {
      if (!POINT_VALUES.has(name)) return false;
      noteValueElement(this.point, name, qualified);
      return true;
    }
    if (name === 'gpx') this.hdopIsMetres = /osmand/i.test(attrs.creator ?? '');
    else if (name === 'trk' || name === 'rte') {
      this.groupName = undefined;
      if (name === 'trk') {
        if (!this.sawTrack) for (const held of this.heldPlaces.splice(0)) this.out.push(this.notAPosition(held.tag, held.line));
        this.sawTrack = true;
        this.held = [];
      }
    } else if (name === 'name' && (parent === 'trk' || parent === 'rte')) return true;
    else if (POINT_TAGS.has(name)) this.point = newDraft(name, line, attrs.lat, attrs.lon);
    return false;
  }

  close(name: string, text: string, _line: number, parent: string | undefined): void {
    const point = this.point;
    if (point) {
      if (name !== point.tag) {
        if (POINT_VALUES.has(name)) setValue(point, name, text);
        return;
      }
      this.point = undefined;
      if (point.tag === 'trkpt') this.trackPoint(point);
      else if (!this.sawTrack) {
        this.hold(this.finishPoint(point));
        this.heldPlaces.push({ tag: point.tag, line: point.line });
      } else this.out.push(this.notAPosition(point.tag, point.line));
      return;
    }
    if (name === 'name' && (parent === 'trk' || parent === 'rte')) this.groupName = text.trim() || undefined;
  }

  /** Not inside a point: a track point may be read whole by the shortcut. */
  betweenPoints(): boolean {
    return this.point === undefined;
  }

  trackPoint(point: PointDraft): void {
    this.out.push(this.finishPoint(point));
  }

  end(): void {
    if (!this.sawTrack) this.out.push(...this.held);
  }

  private hold(item: TrackItem): void {
    if (this.held.length >= MAX_HELD_POINTS) {
      throw new LinderoError('gpx-too-many-waypoints', `more than ${MAX_HELD_POINTS} waypoints or route points before any track`, { file: this.ctx.file });
    }
    this.held.push(item);
  }

  private finishPoint(p: PointDraft): TrackItem {
    const lat = parseDecimal(p.lat ?? '');
    const lon = parseDecimal(p.lon ?? '');
    if (lat === undefined || lon === undefined) return this.reject(p, `lat="${p.lat ?? ''}" lon="${p.lon ?? ''}" are not both decimal degrees`);
    const v = p.values;
    if (!v.time) return this.reject(p, 'no <time>; a point without a time cannot be placed in the track');
    const time = parseIsoTime(v.time, true);
    if (typeof time === 'string') return this.reject(p, time);
    const ele = optional(v.ele);
    const hdop = optional(v.hdop);
    const accuracy = optional(v.accuracy);
    const speed = optional(v.speed);
    const course = optional(v.course);
    const heading = optional(v.heading);
    const bearing = optional(v.bearing);
    if (ele === null || hdop === null || accuracy === null || speed === null || course === null || heading === null || bearing === null) {
      const key = NUMERIC_VALUES.find((k) => optional(v[k]) === null)!;
      return this.reject(p, `<${key}> "${v[key]!.slice(0, 40)}" is not a number`);
    }
    const accuracyM = accuracy ?? (hdop === undefined ? undefined : this.hdopIsMetres || p.hdopInMetres ? hdop : accuracyFromHdop(hdop));
    const unit = (p.tag === 'wpt' ? undefined : this.groupName) ?? this.ctx.fallbackUnit;
    const fix = buildFix({ unit, time, lat, lon, accuracyM, altM: ele, speedMps: speed, courseDeg: course ?? heading ?? bearing });
    return typeof fix === 'string' ? this.reject(p, fix) : { kind: 'fix', fix, line: p.line };
  }

  private notAPosition(tag: string, line: number): TrackItem {
    const what = tag === 'wpt' ? 'a waypoint is a marked place' : 'a route point is a planned place';
    return { kind: 'rejected', file: this.ctx.file, line, reason: `<${tag}>: ${what}, not a position report, in a file with a track; not read`, notAReport: true };
  }

  private reject(p: PointDraft, reason: string): TrackItem {
    return { kind: 'rejected', file: this.ctx.file, line: p.line, reason: `<${p.tag}>: ${reason}` };
  }
}
