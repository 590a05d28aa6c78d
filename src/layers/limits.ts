// Caps that keep a hostile or mistaken layer file from exhausting memory or the stack.
// A national boundary at survey resolution is tens of megabytes; these leave ample room.

/** Largest layer file read from disk, bytes. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Largest total uncompressed size of the entries read from one zip (KMZ, zipped shapefile), bytes. */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

/** Most entries a zip may list before it is refused without reading any. */
export const MAX_ZIP_ENTRIES = 10_000;

/** Deepest XML element nesting accepted (KML folders nest, but never this deep). */
export const MAX_XML_DEPTH = 200;

/** Deepest nesting of GeoJSON GeometryCollections (RFC 7946 §3.1.8 advises against nesting at all). */
export const MAX_GEOMETRY_COLLECTION_DEPTH = 8;

/** Most features one layer file may hold. */
export const MAX_FEATURES = 1_000_000;
