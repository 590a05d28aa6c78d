// GeoJSON tracks (RFC 7946): LineString/MultiLineString with per-vertex times as togeojson writes them
// (properties.coordTimes, or properties.coordinateProperties.times), and Point features with a time.
import { LinderoError } from '../../model/index.js';
import { accuracyFromHdop } from '../nmea.js';
import { jsonFeedItems } from './json-feeds.js';
import { buildFix, type PointValues } from './make-fix.js';
import { parseTimeField } from './time.js';
import type { ReaderContext, TrackItem } from './types.js';

const BATCH = 4096;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whole-text parse (GeoJSON cannot be streamed with JSON.parse; the caller caps the size). */
export function* readGeoJson(text: string, ctx: ReaderContext): Generator<TrackItem[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message)?.[1];
    const line = pos === undefined ? undefined : text.slice(0, Number(pos)).split('\n').length;
    throw new LinderoError('geojson-syntax', `not valid JSON: ${message}`, { file: ctx.file, line });
  }
  const feed = jsonFeedItems(doc, ctx);
  if (feed) return yield feed;
  let batch: TrackItem[] = [];
  for (const [index, feature] of features(doc, ctx).entries()) {
    for (const item of readFeature(feature, index, ctx)) {
      batch.push(item);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  yield batch;
}

function features(doc: unknown, ctx: ReaderContext): Json[] {
  if (!isObject(doc)) throw new LinderoError('geojson-type', 'the JSON is not a GeoJSON object (nor a SPOT feed or a Garmin IPC Outbound post)', { file: ctx.file });
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new LinderoError('geojson-type', 'FeatureCollection without a "features" array', { file: ctx.file, field: 'features' });
    return doc.features as Json[];
  }
  if (doc.type === 'Feature') return [doc];
  if (typeof doc.type === 'string' && 'coordinates' in doc) return [{ type: 'Feature', geometry: doc, properties: {} }];
  throw new LinderoError('geojson-type', `GeoJSON type ${JSON.stringify(doc.type)} holds no track (expected FeatureCollection, Feature or a geometry, or a SPOT feed or Garmin IPC Outbound post)`, { file: ctx.file, field: 'type' });
}

function* readFeature(feature: unknown, index: number, ctx: ReaderContext): Generator<TrackItem> {
  const reject = (reason: string): TrackItem => ({ kind: 'rejected', file: ctx.file, line: 0, feature: index, reason: `feature ${index}: ${reason}` });
  if (!isObject(feature) || !isObject(feature.geometry)) return yield reject('not a Feature with a geometry');
  const props = isObject(feature.properties) ? feature.properties : {};
  const geometry = feature.geometry;
  const coords = geometry.coordinates;
  const type = geometry.type;
  if (type === 'Point') return yield pointItem(coords, props, ctx, reject);
  if (type === 'LineString' || type === 'MultiPoint') return yield* lineItems([coords], [vertexTimes(props)], props, ctx, reject);
  if (type === 'MultiLineString') {
    const times = vertexTimes(props);
    const perLine = Array.isArray(times) && times.every(Array.isArray) ? (times as unknown[][]) : [];
    if (!Array.isArray(coords)) return yield reject('MultiLineString without coordinates');
    return yield* lineItems(coords, coords.map((_, i) => perLine[i]), props, ctx, reject);
  }
  if (type === 'GeometryCollection') {
    // togeojson writes a gx:MultiTrack as a GeometryCollection of LineStrings, times per line.
    const parts = Array.isArray(geometry.geometries) ? geometry.geometries : [];
    const times = vertexTimes(props);
    const perLine = Array.isArray(times) && times.every(Array.isArray) ? (times as unknown[][]) : [];
    const lines: unknown[] = [];
    for (const [i, part] of parts.entries()) {
      if (isObject(part) && part.type === 'LineString') lines.push(part.coordinates);
      else {
        yield reject(`geometry ${i} of the GeometryCollection is a ${isObject(part) ? String(part.type) : 'non-object'}, not a LineString`);
        lines.push(undefined);
      }
    }
    if (parts.length === 0) return yield reject('GeometryCollection without geometries');
    return yield* lineItems(lines, lines.map((_, i) => perLine[i]), props, ctx, reject, (i) => lines[i] !== undefined);
  }
  yield reject(`a ${String(type)} is not a track (LineString, MultiLineString, a GeometryCollection of them, or timed Points)`);
}

/** Per-vertex times: togeojson ≤ 4 wrote properties.coordTimes, later versions coordinateProperties.times. */
function vertexTimes(props: Json): unknown {
  return props.coordTimes ?? (isObject(props.coordinateProperties) ? props.coordinateProperties.times : undefined);
}

function unitOf(props: Json, ctx: ReaderContext, lineFeature: boolean): string {
  // A LineString's name is the track's (togeojson copies trk/name); a Point's name labels the point, not the unit.
  for (const key of lineFeature ? ['unit', 'device', 'name'] : ['unit', 'device']) {
    const v = props[key];
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number') return String(v).trim();
  }
  return ctx.fallbackUnit;
}

function* lineItems(lines: unknown[], times: unknown[], props: Json, ctx: ReaderContext, reject: (r: string) => TrackItem, wanted: (i: number) => boolean = () => true): Generator<TrackItem> {
  const unit = unitOf(props, ctx, true);
  for (const [li, line] of lines.entries()) {
    if (!wanted(li)) continue;
    const lineTimes = times[li];
    if (!Array.isArray(line)) { yield reject(`line ${li} has no coordinate array`); continue; }
    if (!Array.isArray(lineTimes)) { yield reject(`line ${li} has no coordTimes; a track without times cannot be analysed`); continue; }
    if (lineTimes.length !== line.length) {
      yield reject(`line ${li} has ${line.length} positions but ${lineTimes.length} coordTimes`);
      continue;
    }
    for (const [vi, position] of line.entries()) {
      const item = positionItem(position, lineTimes[vi], { unit }, (r) => reject(`line ${li}, vertex ${vi}: ${r}`));
      yield item;
    }
  }
}

function pointItem(coords: unknown, props: Json, ctx: ReaderContext, reject: (r: string) => TrackItem): TrackItem {
  const time = props.time ?? props.timestamp;
  if (time === undefined || time === null) return reject('Point without a "time" property; a position without a time cannot be placed in the track');
  const hdop = typeof props.hdop === 'number' ? accuracyFromHdop(props.hdop) : undefined;
  const extra = {
    unit: unitOf(props, ctx, false),
    accuracyM: numberProp(props.accuracy) ?? hdop,
    speedMps: numberProp(props.speed),
    courseDeg: numberProp(props.course) ?? numberProp(props.bearing) ?? numberProp(props.heading),
  };
  return positionItem(coords, time, extra, reject);
}

function positionItem(position: unknown, rawTime: unknown, extra: Partial<PointValues> & { unit: string }, reject: (r: string) => TrackItem): TrackItem {
  if (!Array.isArray(position) || position.length < 2 || position.length > 4 || !position.every((n) => typeof n === 'number')) {
    return reject(`position ${JSON.stringify(position)?.slice(0, 60)} is not [lon, lat, alt?]`);
  }
  const time = parseTimeField(rawTime);
  if (typeof time === 'string') return reject(time);
  const fix = buildFix({ ...extra, time, lon: position[0], lat: position[1], altM: position[2] });
  return typeof fix === 'string' ? reject(fix) : { kind: 'fix', fix };
}

function numberProp(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
