// The layers classify() uses: the built-in U.S.–Mexico boundary (or a boundary the person loaded) and an
// optional fence layer. A new file replaces the old only once it builds, so a bad file never costs the good one.
// The built-in boundary alone opens from its compiled form (restored, not built: the index is made at build
// time); with a fence, or to start over, it is built from its GeoJSON like any loaded file.
import type { FeatureCollection } from 'geojson';
import { buildLayers, restoreLayerBytes, type Layers } from '../../../../src/geo/index.js';
import type { LayerRole, StoredLayer } from '../db.js';
import { compiledLayerBytes, compiledLayersUrl } from './early-read.js';
import { forgetLayer, storedLayers, storeLayer } from './layer-store.js';
import { checkLayerSize } from './text.js';

// Reading layer files (GeoJSON, KML, GPX: an XML parser) is loaded when first needed: the built-in boundary
// opens restored, without it.
const reader = () => import('../../../../src/layers/index.js');

declare const __DEFAULT_BOUNDARY__: string;
declare const __DEFAULT_BOUNDARY_SHA256__: string;

export interface ActiveLayers {
  layers: Layers;
  /** File name of a loaded boundary, or null for the built-in one. */
  boundaryFile: string | null;
  fenceFile: string | null;
}

interface Sources {
  /** `features` null: the built-in boundary, not read as GeoJSON (yet). */
  boundary: { file: string | null; features: FeatureCollection | null };
  fence: { file: string; features: FeatureCollection } | null;
}

let current: Sources | null = null;
let builtIn: FeatureCollection | null = null;
let builtInCompiled: Promise<Layers | null> | null = null;

/** The built-in boundary compiled at build time, shipped beside the app and precached; null if it cannot be read. */
function builtInLayers(): Promise<Layers | null> {
  builtInCompiled ??= (async () => {
    try {
      const bytes = await compiledLayerBytes;
      performance.mark('lindero:layers-fetched');
      // Only a set built from this app's own boundary (a cache caught between two versions of the app may
      // hold the other's); if not, once more from the server or the worker, which serve this version's.
      const layers = bytes && (restoreLayerBytes(bytes, __DEFAULT_BOUNDARY_SHA256__)
        ?? restoreLayerBytes(new Uint8Array(await (await fetch(compiledLayersUrl, { cache: 'no-cache' })).arrayBuffer()), __DEFAULT_BOUNDARY_SHA256__));
      performance.mark('lindero:layers-restored');
      return layers;
    } catch {
      return null;
    }
  })();
  return builtInCompiled;
}

/** The built-in boundary, shipped beside the app and precached by the service worker. */
async function builtInBoundary(): Promise<FeatureCollection> {
  if (builtIn) return builtIn;
  const response = await fetch(new URL(__DEFAULT_BOUNDARY__, document.baseURI));
  if (!response.ok) throw new Error(`${__DEFAULT_BOUNDARY__}: HTTP ${response.status}`);
  builtIn = (await response.json()) as FeatureCollection;
  return builtIn;
}

async function build(sources: Sources): Promise<ActiveLayers> {
  if (sources.boundary.file === null && !sources.fence) {
    // The built-in boundary alone: restored from its compiled form, or (if that fails) built as before.
    const compiled = await builtInLayers();
    if (compiled) return { layers: compiled, boundaryFile: null, fenceFile: null };
  }
  const boundary = sources.boundary.features ?? await builtInBoundary();
  const layers = buildLayers(boundary, sources.fence?.features ?? null, {
    boundaryFile: sources.boundary.file ?? 'us-mx-boundary.geojson', fenceFile: sources.fence?.file,
  });
  return { layers, boundaryFile: sources.boundary.file, fenceFile: sources.fence?.file ?? null };
}

/** The layers kept on this phone, or the built-in boundary. A kept layer that no longer builds is set aside. */
export async function openLayers(): Promise<ActiveLayers> {
  // Read and restore the compiled boundary while IndexedDB says whether this phone keeps layers of its own.
  void builtInLayers();
  // Without IndexedDB (some private modes) nothing was kept: the built-in boundary still answers.
  const { boundary, fence } = await storedLayers().catch(() => ({ boundary: undefined, fence: undefined }));
  const sources: Sources = {
    boundary: boundary ? { file: boundary.fileName, features: boundary.features } : { file: null, features: null },
    fence: fence ? { file: fence.fileName, features: fence.features } : null,
  };
  try {
    const active = await build(sources);
    current = sources;
    return active;
  } catch {
    // Kept layers always built when they were loaded; if that changes (a newer app), start from the built-in one.
    current = { boundary: { file: null, features: null }, fence: null };
    return build(current);
  }
}

/** Reads a picked file for `role`, builds it with the other layer, and keeps it. Throws LinderoError, changing nothing. */
export async function loadLayerFile(role: LayerRole, file: File): Promise<ActiveLayers> {
  checkLayerSize(file.size, file.name);
  const { readLayer } = await reader();
  const features = readLayer(new Uint8Array(await file.arrayBuffer()), file.name);
  const next: Sources = role === 'boundary'
    ? { boundary: { file: file.name, features }, fence: current?.fence ?? null }
    : { boundary: current!.boundary, fence: { file: file.name, features } };
  const active = await build(next);
  const stored: StoredLayer = { role, fileName: file.name, features, savedMs: Date.now() };
  await storeLayer(stored);
  current = next;
  return active;
}

/** Back to the built-in boundary (role 'boundary') or no fence (role 'fence'). */
export async function resetLayer(role: LayerRole): Promise<ActiveLayers> {
  const next: Sources = role === 'boundary'
    ? { boundary: { file: null, features: null }, fence: current?.fence ?? null }
    : { boundary: current!.boundary, fence: null };
  const active = await build(next);
  await forgetLayer(role);
  current = next;
  return active;
}
