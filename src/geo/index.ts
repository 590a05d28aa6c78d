export type * from './types.js';
export { buildLayers, type Layers, type LayerSources } from './layers.js';
export { classify } from './classify.js';
export { segmentCrossings, lineSetCrossings, type SegmentCrossing } from './crossing.js';
