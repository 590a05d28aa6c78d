// What a GPX reader gathers inside one <trkpt>, <rtept> or <wpt>, before it becomes a fix.

export type PointValue = 'time' | 'ele' | 'hdop' | 'accuracy' | 'speed' | 'course' | 'heading' | 'bearing';

/**
 * Values read inside a point, wherever they sit (GPX 1.0 puts speed/course in the point; GPX 1.1 files
 * carry them in extensions: Garmin TrackPointExtension v2 gpxtpx:speed/course, OsmAnd speed/heading).
 */
export const POINT_VALUES: ReadonlySet<string> = new Set<PointValue>(['time', 'ele', 'hdop', 'accuracy', 'speed', 'course', 'heading', 'bearing']);

export interface PointDraft {
  tag: string;
  line: number;
  lat?: string;
  lon?: string;
  /** Text of the value elements, first occurrence of each (one fixed shape: this is the hot path). */
  values: Record<PointValue, string | undefined>;
  /** The hdop came as an osmand:hdop extension: metres, not a dilution. */
  hdopInMetres: boolean;
}

export function newDraft(tag: string, line: number, lat?: string, lon?: string): PointDraft {
  const values = { time: undefined, ele: undefined, hdop: undefined, accuracy: undefined, speed: undefined, course: undefined, heading: undefined, bearing: undefined };
  return { tag, line, lat, lon, values, hdopInMetres: false };
}

/** A value element opened inside a point (local name, qualified name as written). */
export function noteValueElement(draft: PointDraft, name: string, qualified: string): void {
  if (name === 'hdop' && qualified.startsWith('osmand:')) draft.hdopInMetres = true;
}

/** A value element's text; the first occurrence counts. */
export function setValue(draft: PointDraft, name: string, text: string): void {
  draft.values[name as PointValue] ??= text.trim();
}
