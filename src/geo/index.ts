// The geometry core: layers compiled for search, and classify() — which side, how far, how sure. Pure.
export type * from './types.js';
export { buildLayers, DEFAULT_COVERAGE_M, type Layers, type LayerSources } from './layers.js';
export { classify, ASSUMED_ACCURACY_M, DEFAULT_CERTAINTY } from './classify.js';
export { segmentCrossings, lineSetCrossings, type SegmentCrossing } from './crossing.js';
export { makeProbe } from './segment.js';
export { cellSideM } from './ellipsoid.js';
export { wrapTowards } from './far.js';
export { positionSigmaM } from './confidence.js';
export { restoreLayerBytes, saveLayerBytes } from './saved-layers.js';
