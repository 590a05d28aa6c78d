// Boundary and fence layers from the files GIS and TAK users keep: GeoJSON, KML/KMZ, GPX, shapefiles, GeoPackage.
export { loadLayerFile, type LayerRole, type LoadLayerOptions } from './load.js';
export { defaultBoundaryPath, loadDefaultBoundary } from './default.js';
export { LAYER_PROPERTIES } from './properties.js';
