// The largest layer file a phone reads (the reading itself is src/layers' readLayer, the same as the server's).
import { LinderoError } from '../../../../src/model/index.js';

/** Largest layer file read on a phone: the whole file is held in memory while it is parsed. */
export const MAX_LAYER_BYTES = 64 * 1024 * 1024;

/** Refuses a file too large to load, before it is read into memory. */
export function checkLayerSize(sizeBytes: number, file: string): void {
  if (sizeBytes <= MAX_LAYER_BYTES) return;
  const mib = (n: number) => (n / 1048576).toFixed(1);
  throw new LinderoError('layer-too-large', `is ${mib(sizeBytes)} MiB; a phone loads layers of at most ${mib(MAX_LAYER_BYTES)} MiB`, { file });
}
