// Point-in-polygon over the corridor fixture: which of the two source polygons contain a point.
import Flatbush from 'flatbush';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';

export type PieceFeature = Feature<MultiPolygon, { territory: string }>;

/** The corridor fixture: territory pieces cut on a square grid, and which grid tiles the corridor covers. */
export interface CorridorCollection extends FeatureCollection<MultiPolygon, { territory: string }> {
  grid: { originLon: number; originLat: number; tileDeg: number; columns: number; rows: number };
  /** "column,row" of every tile in the corridor; a tile with no piece is water. */
  corridorTiles: string[];
}

export interface Membership {
  /** Territories ("US", "MX") whose source polygon contains the point, boundary included. */
  territories: Set<string>;
  /** False when the point lies outside every corridor tile, where the fixture says nothing. */
  inCorridor: boolean;
}

export class TerritoryIndex {
  private readonly index: Flatbush;
  private readonly tiles: Set<string>;

  constructor(private readonly corridor: CorridorCollection) {
    this.tiles = new Set(corridor.corridorTiles);
    this.index = new Flatbush(Math.max(1, corridor.features.length));
    for (const piece of corridor.features) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const polygon of piece.geometry.coordinates) for (const [x, y] of polygon[0]) {
        if (x < minX) minX = x; if (x > maxX) maxX = x;
        if (y < minY) minY = y; if (y > maxY) maxY = y;
      }
      this.index.add(minX, minY, maxX, maxY);
    }
    if (corridor.features.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Which territories' pieces contain [lon, lat]. */
  at(lon: number, lat: number): Membership {
    const territories = new Set<string>();
    for (const i of this.index.search(lon, lat, lon, lat)) {
      const piece = this.corridor.features[i];
      if (piece && !territories.has(piece.properties.territory) && booleanPointInPolygon([lon, lat], piece)) {
        territories.add(piece.properties.territory);
      }
    }
    const { originLon, originLat, tileDeg } = this.corridor.grid;
    const tile = Math.floor((lon - originLon) / tileDeg) + ',' + Math.floor((lat - originLat) / tileDeg);
    return { territories, inCorridor: this.tiles.has(tile) };
  }
}
