// CSV / TSV tracks: header-named columns, delimiter detected, RFC 4180 quoting, streamed line by line.
import { LinderoError } from '../../model/index.js';
import { accuracyFromHdop } from '../nmea.js';
import { readLineBatches, type LineItem } from './lines.js';
import { buildFix, parseDecimal } from './make-fix.js';
import { parseTimeField } from './time.js';
import type { ReaderContext, TrackBatches, TrackItem } from './types.js';

type Column = 'lat' | 'lon' | 'time' | 'unit' | 'accuracy' | 'hdop' | 'eph' | 'alt' | 'speed' | 'course';
const HEADER_NAMES: Record<string, Column> = {
  lat: 'lat', latitude: 'lat', lon: 'lon', lng: 'lon', long: 'lon', longitude: 'lon',
  time: 'time', timestamp: 'time', datetime: 'time', fix_time: 'time', unit: 'unit', id: 'unit', device: 'unit',
  accuracy: 'accuracy', hdop: 'hdop', eph: 'eph', alt: 'alt', altitude: 'alt', ele: 'alt',
  speed: 'speed', course: 'course', heading: 'course', bearing: 'course',
};
const DELIMITERS = [',', ';', '\t'] as const;
const NUMERIC: Column[] = ['lat', 'lon', 'accuracy', 'hdop', 'eph', 'alt', 'speed', 'course'];

interface Layout {
  delimiter: string;
  columns: Map<Column, { index: number; header: string }>;
  headerCount: number;
}

interface CsvState {
  layout?: Layout;
  /** A record whose quoted field spans lines. */
  pending?: { text: string; line: number };
}

export async function* readCsv(chunks: AsyncIterable<string>, ctx: ReaderContext): TrackBatches {
  const state: CsvState = {};
  for await (const lines of readLineBatches(chunks, ctx.limits.maxCsvLineChars)) {
    const batch: TrackItem[] = [];
    try {
      for (const item of lines) readLine(item, state, ctx, batch);
    } catch (e) {
      yield batch; // the records before a fatal one are kept
      throw e;
    }
    yield batch;
  }
  if (state.pending) yield [{ kind: 'rejected', file: ctx.file, line: state.pending.line, reason: 'quoted field never closes before the end of the file' }];
  if (!state.layout) throw new LinderoError('csv-header', 'the file has no header line', { file: ctx.file });
}

function readLine(item: LineItem, state: CsvState, ctx: ReaderContext, out: TrackItem[]): void {
  const max = ctx.limits.maxCsvLineChars;
  if ('oversizeChars' in item) {
    if (!state.layout) throw new LinderoError('csv-header', `the header line is ${item.oversizeChars} characters long (limit ${max})`, { file: ctx.file, line: item.line });
    state.pending = undefined;
    out.push({ kind: 'rejected', file: ctx.file, line: item.line, reason: `line is ${item.oversizeChars} characters long; the limit is ${max}` });
    return;
  }
  const text = state.pending ? `${state.pending.text}\n${item.text}` : item.text;
  const line = state.pending ? state.pending.line : item.line;
  state.pending = undefined;
  if (text.trim() === '') return;
  if (!state.layout) {
    state.layout = readHeader(text, line, ctx);
    return;
  }
  const fields = splitRecord(text, state.layout.delimiter);
  if (fields === null) {
    if (text.length > max) out.push({ kind: 'rejected', file: ctx.file, line, reason: `quoted field never closes within ${max} characters` });
    else state.pending = { text, line };
    return;
  }
  out.push(readRecord(fields, line, state.layout, ctx));
}

function readHeader(text: string, line: number, ctx: ReaderContext): Layout {
  const counts = DELIMITERS.map((d) => splitRecord(text.replace(/^\uFEFF/, ''), d)?.length ?? 0);
  const best = counts.indexOf(Math.max(...counts));
  if (counts[best] < 2) throw new LinderoError('csv-header', 'the header has no comma, semicolon or tab between column names', { file: ctx.file, line });
  const delimiter = DELIMITERS[best];
  const names = splitRecord(text.replace(/^\uFEFF/, ''), delimiter)!;
  const columns = new Map<Column, { index: number; header: string }>();
  names.forEach((raw, index) => {
    const column = HEADER_NAMES[raw.trim().toLowerCase()];
    const taken = column && (columns.has(column) || (['accuracy', 'hdop', 'eph'].includes(column) && hasAccuracy(columns)));
    if (column && !taken) columns.set(column, { index, header: raw.trim() });
  });
  const required = [['lat', 'latitude', 'lat or latitude'], ['lon', 'longitude', 'lon, lng, long or longitude'], ['time', 'time', 'time, timestamp, datetime or fix_time']] as const;
  for (const [column, what, accepted] of required) {
    if (!columns.has(column)) {
      throw new LinderoError('csv-header', `the header has no ${what} column (${accepted}); its columns are: ${names.map((n) => n.trim()).join(', ').slice(0, 200)}`, { file: ctx.file, line });
    }
  }
  return { delimiter, columns, headerCount: names.length };
}

function hasAccuracy(columns: Map<Column, unknown>): boolean {
  return columns.has('accuracy') || columns.has('hdop') || columns.has('eph');
}

function readRecord(fields: string[], line: number, layout: Layout, ctx: ReaderContext): TrackItem {
  const reject = (reason: string): TrackItem => ({ kind: 'rejected', file: ctx.file, line, reason });
  const values: Partial<Record<Column, number>> = {};
  for (const [column, { index, header }] of layout.columns) {
    if (index >= fields.length) return reject(`has ${fields.length} fields but the header has ${layout.headerCount}; field '${header}' is missing`);
    if (!NUMERIC.includes(column)) continue;
    const raw = fields[index].trim();
    if (raw === '') {
      if (column === 'lat' || column === 'lon') return reject(`field '${header}' is empty`);
      continue;
    }
    // A decimal comma is a whole-file convention, not a bad line: refuse the file rather than guess.
    if (layout.delimiter !== ',' && /^[+-]?\d+,\d+$/.test(raw)) {
      throw new LinderoError('csv-decimal-comma', `field '${header}' is "${raw}", a decimal comma; lindero reads decimal points only (31.5603, not 31,5603): convert the file`, { file: ctx.file, line, field: header });
    }
    const n = parseDecimal(raw);
    if (n === undefined) return reject(`field '${header}' is "${raw.slice(0, 40)}", not a number`);
    values[column] = n;
  }
  const timeColumn = layout.columns.get('time')!;
  const time = parseTimeField(fields[timeColumn.index]);
  if (typeof time === 'string') return reject(`field '${timeColumn.header}': ${time}`);
  const unitColumn = layout.columns.get('unit');
  const unit = (unitColumn && fields[unitColumn.index].trim()) || ctx.fallbackUnit;
  // accuracy and eph are metres as given (gpsd's eph may be a 95% figure: erring large is the safe side).
  const accuracyM = values.accuracy ?? values.eph ?? (values.hdop === undefined ? undefined : accuracyFromHdop(values.hdop));
  const fix = buildFix({
    unit, time, lat: values.lat!, lon: values.lon!, accuracyM, altM: values.alt, speedMps: values.speed, courseDeg: values.course,
  });
  return typeof fix === 'string' ? reject(fix) : { kind: 'fix', fix, line };
}

/** Splits one record (RFC 4180: "..." quotes a field, "" is a quote inside it); null while a quote is open. */
export function splitRecord(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return null;
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      const next = text.indexOf(delimiter, i);
      fields.push(value + text.slice(i, next < 0 ? text.length : next)); // tolerate stray text after the quote
      if (next < 0) return fields;
      i = next + delimiter.length;
    } else {
      const next = text.indexOf(delimiter, i);
      fields.push(text.slice(i, next < 0 ? text.length : next));
      if (next < 0) return fields;
      i = next + delimiter.length;
    }
  }
}
