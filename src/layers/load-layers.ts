import { readFileSync } from 'node:fs';
import { buildLayers, type Layers } from '../geo/index.js';
// The default boundary's own module: the layers index also loads every file format's reader, which only
// --boundary and --fence need, and `lindero where` starts faster without them.
import { defaultBoundaryPath, loadDefaultBoundary } from './default.js';
import type { LoadedLayer } from './layer.js';
import { restoreLayers, sha256 } from './saved-layers.js';

const DEFAULT_LABEL = 'default U.S.–Mexico boundary';

/** The boundary (default: the embedded U.S.–Mexico line) and optional fence layer, compiled. */
export async function loadLayers(boundaryFile?: string, fenceFile?: string, coverageM?: number): Promise<Layers> {
  if (!boundaryFile && !fenceFile && coverageM === undefined) return savedDefaultLayers() ?? buildDefaultLayers();
  const files = await import('./load.js');
  const boundary = boundaryFile ? await files.loadLayerFile(boundaryFile, { role: 'boundary' }) : loadDefaultBoundary();
  const fences = fenceFile ? await files.loadLayerFile(fenceFile, { role: 'fence' }) : null;
  const notes = [...((boundary as LoadedLayer).notes ?? []), ...(fences?.notes ?? [])];
  return buildLayers(boundary, fences, { boundaryFile: boundaryFile ?? DEFAULT_LABEL, fenceFile, coverageM, notes });
}

/** Where the build saves the compiled default layers (beside the compiled CLI; see saved-layers.ts). */
export const SAVED_DEFAULT_LAYERS = new URL('../default-layers.bin', import.meta.url);

/** The default layers as the build saved them, if it did and the shipped GeoJSON is the one they came from. */
function savedDefaultLayers(): Layers | null {
  let saved: Buffer, source: Buffer;
  try {
    saved = readFileSync(SAVED_DEFAULT_LAYERS);
    source = readFileSync(defaultBoundaryPath());
  } catch {
    return null;
  }
  return restoreLayers(saved, sha256(source));
}

/** The default layers built from the GeoJSON, as saved by the build. */
export function buildDefaultLayers(): Layers {
  return buildLayers(loadDefaultBoundary(), null, { boundaryFile: DEFAULT_LABEL });
}
