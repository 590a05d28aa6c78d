// KML 2.2 / 2.3 tracks, streamed with saxes: gx:Track (and gx:MultiTrack), timed Points, and
// LineStrings with a TimeSpan.
// Which unit a Placemark belongs to: its device's IMEI when its ExtendedData gives one (Garmin inReach
// MapShare: unnamed Placemarks in a Folder named after the device, each with Data Name/Map Display Name/
// IMEI, and the latest position again as a named Placemark — one device), else its <name>, else the name
// of the Folder it is in, else the file's. The name people read is Map Display Name or Name when given. A
// Placemark named "<track>-<n>" inside a Folder named "<track>" is a point of that track (GPSBabel's KML).
import { buildFix, parseDecimal } from './make-fix.js';
import { parseIsoTime } from './time.js';
import type { ReaderContext, TrackBatches, TrackItem } from './types.js';
import { walkXml, type XmlElementHandler } from './xml.js';

interface Placemark {
  name?: string;
  /** ExtendedData <Data name="..."><value>: IMEI, Name, Map Display Name, ... */
  data: Record<string, string>;
  when?: string;
  begin?: string;
  end?: string;
  points: { text: string; line: number }[];
  lineStrings: { text: string; line: number }[];
}

/**
 * gx:Track: <when> and <gx:coord> lists paired in order (KML 2.2 gx extension §10.1). The schema puts
 * all whens first, so they are queued as parsed numbers (16 bytes each) until the coords arrive.
 */
interface TrackState {
  unit: string;
  line: number;
  whenTimes: number[];
  whenLines: number[];
  whenProblems: Map<number, string>;
  coords: { text: string; line: number }[];
  whenHead: number;
  coordHead: number;
}

const CAPTURED: Record<string, string[]> = {
  name: ['Placemark', 'Folder'], when: ['TimeStamp', 'Track'], begin: ['TimeSpan'], end: ['TimeSpan'],
  coordinates: ['Point', 'LineString'], coord: ['Track'], value: ['Data'],
};
/** ExtendedData fields that identify a device, and name it for people, in order of preference. */
const DEVICE_ID_DATA = ['IMEI'];
const DEVICE_NAME_DATA = ['Map Display Name', 'Name'];

export function readKml(chunks: AsyncIterable<string>, ctx: ReaderContext): TrackBatches {
  const out: TrackItem[] = [];
  return walkXml(chunks, ctx, 'kml', new KmlHandler(ctx, out), out);
}

class KmlHandler implements XmlElementHandler {
  private placemark?: Placemark;
  private track?: TrackState;
  /** Names of the Folders we are in, innermost last (undefined until a Folder's <name> is read). */
  private readonly folders: (string | undefined)[] = [];
  private dataName?: string;
  /** Lines of LineStrings without times, judged at the end: beside timed positions they are a drawn line. */
  private readonly untimedLines: number[] = [];
  private fixes = 0;

  constructor(private readonly ctx: ReaderContext, private readonly out: TrackItem[]) {}

  open(name: string, _attrs: Record<string, string>, line: number, parent: string | undefined): boolean {
    if (name === 'Placemark') this.placemark = { points: [], lineStrings: [], data: {} };
    else if (name === 'Folder') this.folders.push(undefined);
    else if (name === 'Data') this.dataName = _attrs.name;
    // The KML schema puts a Placemark's <name> and ExtendedData before its geometry, so the unit is known here.
    else if (name === 'Track') {
      const unit = this.placemark ? this.unitOf(this.placemark).unit : this.ctx.fallbackUnit;
      this.track = { unit, line, whenTimes: [], whenLines: [], whenProblems: new Map(), coords: [], whenHead: 0, coordHead: 0 };
    }
    return parent !== undefined && (CAPTURED[name]?.includes(parent) ?? false);
  }

  close(name: string, text: string, line: number, parent: string | undefined): void {
    const pm = this.placemark;
    const track = this.track;
    if (track && parent === 'Track' && (name === 'when' || name === 'coord')) {
      if (name === 'coord') track.coords.push({ text, line });
      else queueWhen(track, text, line);
      this.pairTrack(track);
    } else if (name === 'Track' && track) {
      this.finishTrack(track);
      this.track = undefined;
    } else if (pm && parent === 'Placemark' && name === 'name') pm.name = text.trim() || undefined;
    else if (pm && parent === 'Data' && name === 'value' && this.dataName !== undefined) pm.data[this.dataName] = text.trim();
    else if (parent === 'Folder' && name === 'name' && this.folders.length > 0) this.folders[this.folders.length - 1] = text.trim() || undefined;
    else if (name === 'Folder') this.folders.pop();
    else if (pm && parent === 'TimeStamp' && name === 'when') pm.when = text;
    else if (pm && parent === 'TimeSpan' && (name === 'begin' || name === 'end')) pm[name as 'begin' | 'end'] = text;
    else if (pm && name === 'coordinates' && parent === 'Point') pm.points.push({ text, line });
    else if (pm && name === 'coordinates' && parent === 'LineString') pm.lineStrings.push({ text, line });
    else if (name === 'Placemark' && pm) {
      this.finishPlacemark(pm);
      this.placemark = undefined;
    }
  }

  /**
   * A LineString without times beside timed positions is a line drawn through them (inReach MapShare's track
   * log, a planned route), not a report; in a file with nothing timed it is the error that leaves it unread.
   */
  end(): void {
    for (const line of this.untimedLines) {
      if (this.fixes > 0) this.notAReport(line, 'LineString without a <TimeSpan> with <begin> and <end>, beside timed positions: a line drawn through places, not position reports; not read');
      else this.reject(line, 'LineString without a <TimeSpan> with <begin> and <end>; its vertices have no times');
    }
  }

  private reject(line: number, reason: string): void {
    this.out.push({ kind: 'rejected', file: this.ctx.file, line, reason });
  }

  private notAReport(line: number, reason: string): void {
    this.out.push({ kind: 'rejected', file: this.ctx.file, line, reason, notAReport: true });
  }

  private pairTrack(t: TrackState): void {
    while (t.whenHead < t.whenTimes.length && t.coordHead < t.coords.length) {
      const i = t.whenHead++;
      const coord = t.coords[t.coordHead++];
      const values = coord.text.trim().split(/\s+/).map((v) => parseDecimal(v));
      const problem = t.whenProblems.get(i);
      if (problem !== undefined) this.reject(t.whenLines[i], `<when>: ${problem}`);
      else if (values.length < 2 || values.length > 3 || values.includes(undefined)) {
        this.reject(coord.line, `<gx:coord> "${coord.text.trim().slice(0, 60)}" is not "lon lat [alt]"`);
      } else this.emit(coord.line, { unit: t.unit, time: t.whenTimes[i], lon: values[0]!, lat: values[1]!, altM: values[2] });
    }
    if (t.whenHead === t.whenTimes.length) {
      t.whenTimes.length = 0;
      t.whenLines.length = 0;
      t.whenProblems.clear();
      t.whenHead = 0;
    }
    if (t.coordHead === t.coords.length) {
      t.coords.length = 0;
      t.coordHead = 0;
    }
  }

  private finishTrack(t: TrackState): void {
    const spareWhens = t.whenTimes.length - t.whenHead;
    const spare = spareWhens + t.coords.length - t.coordHead;
    if (spare > 0) {
      const what = spareWhens > 0 ? '<when> without a <gx:coord>' : '<gx:coord> without a <when>';
      this.reject(t.line, `gx:Track has ${spare} ${what}; they are paired in order and the counts must match`);
    }
  }

  /** The unit (identity) and the name people read, by the rule at the top of this file. */
  private unitOf(pm: Placemark): { unit: string; name?: string } {
    const id = DEVICE_ID_DATA.map((k) => pm.data[k]).find((v) => v);
    const folder = [...this.folders].reverse().find((f) => f !== undefined);
    const own = this.trackPointOf(pm.name) ?? pm.name;
    const name = DEVICE_NAME_DATA.map((k) => pm.data[k]).find((v) => v) ?? own ?? folder;
    return { unit: id ?? own ?? folder ?? this.ctx.fallbackUnit, name };
  }

  /**
   * GPSBabel writes a track's points as Placemarks named "<track>-0", "<track>-1", … in a Folder "Points" inside
   * the track's Folder "<track>": such a name is a point of that track (its unit), not a unit of its own.
   */
  private trackPointOf(name: string | undefined): string | undefined {
    const m = name === undefined ? null : /^(.+)-\d+$/.exec(name);
    return m && this.folders.includes(m[1]) ? m[1] : undefined;
  }

  private finishPlacemark(pm: Placemark): void {
    const { unit, name } = this.unitOf(pm);
    for (const point of pm.points) {
      // inReach MapShare: a message sent without a GPS fix carries the device's last known position.
      if (pm.data['Valid GPS Fix']?.toLowerCase() === 'false') {
        this.notAReport(point.line, 'inReach "Valid GPS Fix" is False: the device had no fix, so this is its last known position, not where it was then; not read');
        continue;
      }
      if (pm.when === undefined) {
        this.reject(point.line, 'Point Placemark has no <TimeStamp><when>; a position without a time cannot be placed in the track');
        continue;
      }
      const time = parseIsoTime(pm.when);
      const tuples = parseCoordinates(point.text);
      if (typeof time === 'string') this.reject(point.line, `<when>: ${time}`);
      else if (typeof tuples === 'string' || tuples.length !== 1) this.reject(point.line, typeof tuples === 'string' ? tuples : 'a Point has exactly one coordinate tuple');
      else this.emit(point.line, { unit, time, ...tuples[0] }, name);
    }
    for (const ls of pm.lineStrings) this.finishLineString(ls, pm, unit);
  }

  /**
   * A LineString has no per-vertex times. With a TimeSpan, lindero assumes constant speed: each vertex
   * gets begin + (end − begin) × (distance along the line so far / total length). Without one it is refused.
   */
  private finishLineString(ls: { text: string; line: number }, pm: Placemark, unit: string): void {
    if (pm.begin === undefined || pm.end === undefined) {
      this.untimedLines.push(ls.line);
      return;
    }
    const begin = parseIsoTime(pm.begin);
    const end = parseIsoTime(pm.end);
    const tuples = parseCoordinates(ls.text);
    if (typeof begin === 'string' || typeof end === 'string') return this.reject(ls.line, `<TimeSpan>: ${typeof begin === 'string' ? begin : end}`);
    if (end < begin) return this.reject(ls.line, '<TimeSpan> ends before it begins');
    if (typeof tuples === 'string') return this.reject(ls.line, tuples);
    const along = cumulativeLengths(tuples);
    const total = along[along.length - 1];
    tuples.forEach((t, i) => {
      const fraction = total > 0 ? along[i] / total : tuples.length > 1 ? i / (tuples.length - 1) : 0;
      this.emit(ls.line, { unit, time: Math.round(begin + (end - begin) * fraction), ...t });
    });
  }

  private emit(line: number, values: { unit: string; time: number; lat: number; lon: number; altM?: number }, name?: string): void {
    const fix = buildFix(values);
    if (typeof fix === 'string') return this.reject(line, fix);
    if (name !== undefined && name !== fix.unit) fix.name = name;
    this.fixes++;
    this.out.push({ kind: 'fix', fix, line });
  }
}

function queueWhen(t: TrackState, text: string, line: number): void {
  const time = parseIsoTime(text);
  if (typeof time === 'string') t.whenProblems.set(t.whenTimes.length, time);
  t.whenTimes.push(typeof time === 'string' ? NaN : time);
  t.whenLines.push(line);
}

type Tuple = { lat: number; lon: number; altM?: number };

/** KML <coordinates>: "lon,lat[,alt]" tuples separated by whitespace (stray spaces after commas tolerated). */
function parseCoordinates(text: string): Tuple[] | string {
  const tuples: Tuple[] = [];
  for (const raw of text.replace(/\s*,\s*/g, ',').trim().split(/\s+/)) {
    if (raw === '') continue;
    const v = raw.split(',').map((s) => parseDecimal(s));
    if (v.length < 2 || v.length > 3 || v.includes(undefined)) return `coordinate tuple "${raw.slice(0, 60)}" is not "lon,lat[,alt]"`;
    tuples.push({ lon: v[0]!, lat: v[1]!, ...(v[2] === undefined ? {} : { altM: v[2] }) });
  }
  return tuples.length > 0 ? tuples : 'no coordinates';
}

/** Distance along the line to each vertex, metres on a sphere: only the proportions matter here. */
function cumulativeLengths(tuples: Tuple[]): number[] {
  const out = [0];
  const rad = Math.PI / 180;
  for (let i = 1; i < tuples.length; i++) {
    const a = tuples[i - 1];
    const b = tuples[i];
    const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
    out.push(out[i - 1] + 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h))));
  }
  return out;
}
