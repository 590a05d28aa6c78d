// The default layers compiled ahead of time: `npm run build` saves them next to the compiled CLI
// (scripts/save-default-layers.mjs), and a one-shot `lindero where` restores them instead of parsing the
// GeoJSON and building the index, most of its start-up. The saved file records the SHA-256 of the GeoJSON
// it was built from and is used only while the shipped GeoJSON still has that hash, so it cannot go stale.
// The format itself is src/geo/saved-layers.ts (pure, shared with field mode).
import { createHash } from 'node:crypto';
import { restoreLayerBytes, saveLayerBytes, type Layers } from '../geo/index.js';

/** The source label of layers compiled by this process for its own worker threads (no file behind them). */
export const COMPILED_HERE = 'compiled by this process';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A boundary-only layer set (no fences) as bytes. */
export function saveLayers(layers: Layers, sourceSha256: string): Buffer {
  const bytes = saveLayerBytes(layers, sourceSha256);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The saved layers, or null when the bytes are not a saved set of this format built from `sourceSha256`. */
export function restoreLayers(file: Uint8Array, sourceSha256: string): Layers | null {
  return restoreLayerBytes(file, sourceSha256);
}
