// Sizes in metres on the ground drawn as pixels: MapLibre sizes are in screen pixels, so a radius or
// width in metres becomes a zoom-exponential expression. At zoom z a 512-px world tile gives
// 2π·6378137·cos(lat) / (512·2^z) metres per pixel (spherical Web Mercator, EPSG:3857).
import type { ExpressionSpecification } from 'maplibre-gl';

const METRES_PER_PIXEL_AT_ZOOM_0 = (2 * Math.PI * 6378137) / 512;
const MAX_ZOOM = 24;

type NumberExpr = number | ExpressionSpecification;

/** Pixels covering `metres` at the current zoom, at a latitude whose cosine is `cosLat`. */
export function metresToPixels(metres: NumberExpr, cosLat: NumberExpr): ExpressionSpecification {
  const perPixelAtZ0: ExpressionSpecification = ['*', METRES_PER_PIXEL_AT_ZOOM_0, cosLat];
  return [
    'interpolate', ['exponential', 2], ['zoom'],
    0, ['/', metres, perPixelAtZ0],
    MAX_ZOOM, ['/', ['*', metres, 2 ** MAX_ZOOM], perPixelAtZ0],
  ];
}

export const cosLat = (latDeg: number): number => Math.cos((latDeg * Math.PI) / 180);
