// Layers on Node: layer files read from disk (every format), the shipped default boundary and the compiled layers the build saves. The pure readers are in index.ts.
export { loadLayerFile, type LayerRole, type LoadLayerOptions } from './load.js';
export { defaultBoundaryPath, loadDefaultBoundary } from './default.js';
export { buildDefaultLayers, loadLayers, SAVED_DEFAULT_LAYERS } from './load-layers.js';
export { COMPILED_HERE, restoreLayers, saveLayers, sha256 } from './saved-layers.js';
