// Layer file bytes to text, and where in the text something is, for errors that name the line.
import { LinderoError } from '../../../../src/model/index.js';

/** Largest layer file read on a phone: the whole file is held in memory while it is parsed. */
export const MAX_LAYER_BYTES = 64 * 1024 * 1024;

/** UTF-8 text without its byte-order mark (RFC 8259 §8.1 and KML/GPX exports both use UTF-8). */
export function layerText(bytes: Uint8Array, file: string): string {
  checkLayerSize(bytes.length, file);
  const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
  const bad = text.search(/[\uFFFD\u0000]/);
  if (bad >= 0) {
    throw new LinderoError('layer-encoding', 'is not UTF-8 text: it holds binary data (or another encoding); save it as GeoJSON, KML or GPX in UTF-8', {
      file, ...lineColumnAt(text, bad),
    });
  }
  return text;
}

/** Refuses a file too large to load, before it is read into memory. */
export function checkLayerSize(sizeBytes: number, file: string): void {
  if (sizeBytes <= MAX_LAYER_BYTES) return;
  const mib = (n: number) => (n / 1048576).toFixed(1);
  throw new LinderoError('layer-too-large', `is ${mib(sizeBytes)} MiB; a phone loads layers of at most ${mib(MAX_LAYER_BYTES)} MiB`, { file });
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
