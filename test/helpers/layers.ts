// The shipped default boundary for unit tests below layers/ (geo/), which may not import layers/ themselves.
export { loadDefaultBoundary } from '../../src/layers/node.js';
