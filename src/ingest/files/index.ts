// Recorded tracks in, a stream of fixes (and precise rejections) out, whatever the file format.
import { basename, extname } from 'node:path';
import { LinderoError } from '../../model/index.js';
import { readCsv } from './csv.js';
import { detectFormat, SNIFF_BYTES, type TrackFormat } from './detect.js';
import { readGeoJson } from './geojson.js';
import { readGpx } from './gpx.js';
import { itemsOf, type TrackItems } from './items.js';
import { readKml } from './kml.js';
import { readKmz } from './kmz.js';
import { readNmeaLog } from './nmea-log.js';
import { bytesChunks, decodeChunks, fileChunks, readAllCapped, readHead } from './source.js';
import { DEFAULT_LIMITS, type ReadTrackOptions, type ReaderContext, type TrackBatches, type TrackItem } from './types.js';

export type { TrackItems } from './items.js';
export { DEFAULT_LIMITS, type ReadTrackOptions, type TrackItem, type TrackLimits } from './types.js';
export { detectFormat, type TrackFormat } from './detect.js';
export { LineSplitter, type LineItem } from './lines.js';
export { parseIsoTime, parseEpochTime } from './time.js';

/**
 * Reads a recorded track file, streaming: GPX, KML, KMZ, GeoJSON, NMEA 0183 log or CSV/TSV, told apart
 * by content. Yields fixes (source 'file') and rejected records; throws LinderoError when the file as a
 * whole cannot be read (unknown format, malformed XML, refused DOCTYPE...), after yielding what came before.
 * `.batches()` gives the same items in the readers' batches (one per chunk read), for a consumer that
 * can take them so: one await per batch instead of one per item.
 */
export function readTrack(path: string, opts: ReadTrackOptions = {}): TrackItems {
  return itemsOf(fileBatches(path, opts));
}

async function* fileBatches(path: string, opts: ReadTrackOptions): TrackBatches {
  const file = basename(path);
  const head = await readHead(path, SNIFF_BYTES).catch((e: NodeJS.ErrnoException) => {
    throw new LinderoError('file-unreadable', `cannot read the track file: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message}`, { file: path });
  });
  const { format, encoding } = detectFormat(head, file);
  const ctx = context(file, opts);
  let batches: AsyncIterable<TrackItem[]>;
  if (format === 'kmz') batches = readKmz(await readAllCapped(path, ctx.limits.maxKmzBytes, file, 'the KMZ archive'), ctx);
  else if (format === 'geojson') batches = readGeoJsonBytes(await readAllCapped(path, ctx.limits.maxGeoJsonBytes, file, 'the GeoJSON file'), encoding, ctx);
  else batches = readText(format, decodeChunks(fileChunks(path), encoding, file), ctx);
  yield* batches;
}

/** The same from bytes in memory (an upload, a test); `name` stands in for the file name. */
export function readTrackFromBytes(bytes: Uint8Array, name: string, opts: ReadTrackOptions = {}): TrackItems {
  return itemsOf(bytesBatches(bytes, name, opts));
}

async function* bytesBatches(bytes: Uint8Array, name: string, opts: ReadTrackOptions): TrackBatches {
  const { format, encoding } = detectFormat(bytes.subarray(0, SNIFF_BYTES), name);
  const ctx = context(name, opts);
  let batches: AsyncIterable<TrackItem[]>;
  if (format === 'kmz') batches = readKmz(await readAllCapped(bytes, ctx.limits.maxKmzBytes, name, 'the KMZ archive'), ctx);
  else if (format === 'geojson') batches = readGeoJsonBytes(await readAllCapped(bytes, ctx.limits.maxGeoJsonBytes, name, 'the GeoJSON file'), encoding, ctx);
  else batches = readText(format, decodeChunks(bytesChunks(bytes), encoding, name), ctx);
  yield* batches;
}

/** The same from a string. */
export function readTrackFromString(text: string, name: string, opts: ReadTrackOptions = {}): TrackItems {
  return readTrackFromBytes(Buffer.from(text, 'utf8'), name, opts);
}

function context(file: string, opts: ReadTrackOptions): ReaderContext {
  const fallbackUnit = opts.unit ?? (basename(file, extname(file)) || file);
  return { file, fallbackUnit, limits: { ...DEFAULT_LIMITS, ...opts.limits } };
}

function readText(format: Exclude<TrackFormat, 'kmz' | 'geojson'>, chunks: AsyncIterable<string>, ctx: ReaderContext): TrackBatches {
  switch (format) {
    case 'gpx': return readGpx(chunks, ctx);
    case 'kml': return readKml(chunks, ctx);
    case 'nmea': return readNmeaLog(chunks, ctx);
    case 'csv': return readCsv(chunks, ctx);
  }
}

async function* readGeoJsonBytes(bytes: Uint8Array, encoding: Parameters<typeof decodeChunks>[1], ctx: ReaderContext): TrackBatches {
  let text = '';
  for await (const chunk of decodeChunks(bytesChunks(bytes), encoding, ctx.file)) text += chunk;
  yield* readGeoJson(text, ctx);
}
