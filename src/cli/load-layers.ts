import { buildLayers, type Layers } from '../geo/index.js';
import { loadDefaultBoundary, loadLayerFile } from '../layers/index.js';

/** The boundary (default: the embedded U.S.–Mexico line) and optional fence layer, compiled. */
export async function loadLayers(boundaryFile?: string, fenceFile?: string): Promise<Layers> {
  const boundary = boundaryFile ? await loadLayerFile(boundaryFile, { role: 'boundary' }) : loadDefaultBoundary();
  const fences = fenceFile ? await loadLayerFile(fenceFile, { role: 'fence' }) : null;
  return buildLayers(boundary, fences, { boundaryFile: boundaryFile ?? 'default U.S.–Mexico boundary', fenceFile });
}
