// Types for the `shapefile` package (0.6), which ships none.
declare module 'shapefile' {
  import type { BBox, Feature, Geometry } from 'geojson';

  export interface ShapefileSource {
    bbox: BBox;
    read(): Promise<{ done: boolean; value: Feature<Geometry | null> }>;
    cancel(): Promise<void>;
  }

  export function open(
    shp: ArrayBuffer | Uint8Array | string,
    dbf?: ArrayBuffer | Uint8Array | string,
    options?: { encoding?: string },
  ): Promise<ShapefileSource>;
}
