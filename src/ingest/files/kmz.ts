// KMZ: a zip holding doc.kml (or, per the KML 2.2 spec, the first .kml entry), read as KML.
import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { LinderoError } from '../../model/index.js';
import { readKml } from './kml.js';
import { decodeChunks } from './source.js';
import type { ReaderContext, TrackBatches } from './types.js';

export async function* readKmz(zipBytes: Uint8Array, ctx: ReaderContext): TrackBatches {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes);
  } catch (e) {
    throw new LinderoError('kmz-zip', `not a readable KMZ (zip) archive: ${(e as Error).message}`, { file: ctx.file });
  }
  const kmlEntries = Object.values(zip.files).filter((f) => !f.dir && /\.kml$/i.test(f.name));
  const entry = kmlEntries.find((f) => f.name.toLowerCase() === 'doc.kml') ?? kmlEntries[0];
  if (!entry) throw new LinderoError('kmz-no-kml', 'the KMZ archive holds no .kml file', { file: ctx.file });
  const inner = { ...ctx, file: `${ctx.file}!${entry.name}` };
  // jszip's stream is an old-style readable; wrap() makes it async-iterable.
  const stream = new Readable().wrap(entry.nodeStream('nodebuffer'));
  yield* readKml(decodeChunks(capped(stream, ctx), 'utf-8', inner.file), inner);
}

/** Counts the bytes actually inflated: the sizes a zip declares can lie, a zip bomb's do. */
async function* capped(stream: AsyncIterable<Buffer>, ctx: ReaderContext): AsyncGenerator<Uint8Array> {
  const max = ctx.limits.maxKmzUncompressedBytes;
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > max) throw new LinderoError('kmz-too-large', `the KML inside the KMZ expands past ${max} bytes; refusing it (zip bomb?)`, { file: ctx.file });
      yield chunk;
    }
  } finally {
    if (typeof (stream as Readable).destroy === 'function') (stream as Readable).destroy();
  }
}
