// Boundary and fence layers from the files GIS and TAK users keep — pure readers (bytes or text in, layer out; no Node APIs), shared with field mode. Node's loaders are in node.ts.
export { readLayer, readLayerText, xmlLayer } from './read-text.js';
export { findMarkupDeclaration, parseXml, refuseDtd } from './xml-guard.js';
export { jsonSyntaxProblem, type JsonSyntaxProblem } from './json-syntax.js';
export { lineColumnAt } from './text.js';
export { LAYER_PROPERTIES } from './properties.js';
