// A local map projection for one incident's few kilometres: equirectangular about the centre, which
// at this size distorts distances by far less than a line's width, so one scale bar holds everywhere.

/** Mean radius of the WGS84 ellipsoid (IUGG R1), metres. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

export class LocalProjection {
  readonly metresPerPixel: number;
  readonly widthPx: number;
  readonly heightPx: number;
  private readonly lon0: number;
  private readonly lat0: number;
  private readonly cosLat0: number;
  private readonly halfWidthM: number;
  private readonly halfHeightM: number;

  /** Fits `bounds`, padded by `paddingFraction` and at least `minSpanM` across, into `widthPx` pixels of width. */
  constructor(bounds: Bounds, widthPx: number, options: { paddingFraction?: number; minSpanM?: number; maxWide?: number; maxTall?: number } = {}) {
    this.lon0 = (bounds.west + bounds.east) / 2;
    this.lat0 = (bounds.south + bounds.north) / 2;
    this.cosLat0 = Math.cos(this.lat0 * DEG);
    const pad = 1 + 2 * (options.paddingFraction ?? 0.12);
    const minSpanM = options.minSpanM ?? 600;
    let widthM = Math.max(minSpanM, (bounds.east - bounds.west) * DEG * EARTH_RADIUS_M * this.cosLat0 * pad);
    let heightM = Math.max(minSpanM, (bounds.north - bounds.south) * DEG * EARTH_RADIUS_M * pad);
    // Keep the map on one printed page: neither a ribbon nor a tower (height at most maxTall × width).
    const maxWide = options.maxWide ?? 1.8;
    const maxTall = options.maxTall ?? 0.85;
    if (widthM / heightM > maxWide) heightM = widthM / maxWide;
    if (heightM / widthM > maxTall) widthM = heightM / maxTall;
    this.halfWidthM = widthM / 2;
    this.halfHeightM = heightM / 2;
    this.widthPx = widthPx;
    this.metresPerPixel = widthM / widthPx;
    this.heightPx = Math.round(heightM / this.metresPerPixel);
  }

  /** [x, y] in pixels, y down. */
  toPixels(lon: number, lat: number): [number, number] {
    const xM = (lon - this.lon0) * DEG * EARTH_RADIUS_M * this.cosLat0;
    const yM = (lat - this.lat0) * DEG * EARTH_RADIUS_M;
    return [(xM + this.halfWidthM) / this.metresPerPixel, (this.halfHeightM - yM) / this.metresPerPixel];
  }

  /** The map's extent in degrees, grown by `factor` (for picking the lines worth drawing). */
  extent(factor = 1): Bounds {
    const dLon = (this.halfWidthM * factor) / (DEG * EARTH_RADIUS_M * this.cosLat0);
    const dLat = (this.halfHeightM * factor) / (DEG * EARTH_RADIUS_M);
    return { west: this.lon0 - dLon, east: this.lon0 + dLon, south: this.lat0 - dLat, north: this.lat0 + dLat };
  }

  /** The map's corners as [lon, lat]: top-left, top-right, bottom-right, bottom-left. */
  corners(insetFraction = 0.08): [number, number][] {
    const e = this.extent(1 - insetFraction * 2);
    return [[e.west, e.north], [e.east, e.north], [e.east, e.south], [e.west, e.south]];
  }
}

/** A round length for a scale bar about `targetM` long: 1, 2 or 5 times a power of ten. */
export function niceLengthM(targetM: number): number {
  const power = 10 ** Math.floor(Math.log10(targetM));
  for (const step of [5, 2, 1]) if (step * power <= targetM) return step * power;
  return power;
}
