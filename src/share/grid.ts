// Coarsening: a shared position is the centre of the grid cell the true position falls in, so every
// position in a cell reads the same and the partner learns only the cell.
import geodesicLib from 'geographiclib-geodesic';

const geodesic = geodesicLib.Geodesic.WGS84;

/** Mean length of a degree of latitude on WGS84, metres (cells are G m tall to within 0.6 %). */
const METRES_PER_DEGREE_LAT = 111_132.954;
/** Length of a degree of longitude at the equator, metres; times cos(latitude) elsewhere. */
const METRES_PER_DEGREE_LON_EQUATOR = 111_319.491;

export interface CoarsePosition {
  lat: number;
  lon: number;
  /** The true position is within this distance of (lat, lon), metres (the cell's half-diagonal, rounded up). */
  precisionM: number;
}

function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return geodesic.Inverse(lat1, lon1, lat2, lon2).s12 ?? 0;
}

/**
 * The centre of the cell of a grid of `gridM` metres that holds (lat, lon). Rows are gridM of latitude;
 * within a row, columns are gridM of longitude at the row's centre latitude, so each cell is about
 * gridM × gridM and the cell of a point depends on nothing but the point.
 */
export function snapToGrid(lat: number, lon: number, gridM: number): CoarsePosition {
  const dLat = gridM / METRES_PER_DEGREE_LAT;
  const row = Math.floor(lat / dLat);
  const centreLat = Math.min(90, Math.max(-90, (row + 0.5) * dLat));
  const cos = Math.max(Math.cos((centreLat * Math.PI) / 180), 1e-6);
  const dLon = Math.min(360, gridM / (METRES_PER_DEGREE_LON_EQUATOR * cos));
  const column = Math.floor((lon + 180) / dLon);
  let centreLon = (column + 0.5) * dLon - 180;
  if (centreLon > 180) centreLon -= 360;
  const south = Math.max(-90, row * dLat);
  const north = Math.min(90, (row + 1) * dLat);
  const west = column * dLon - 180;
  const east = west + dLon;
  // The farthest point of a cell this small from its centre is a corner.
  const corners = [[south, west], [south, east], [north, west], [north, east]];
  const halfDiagonalM = Math.max(...corners.map(([la, lo]) => distanceM(centreLat, centreLon, la, lo)));
  return { lat: centreLat, lon: centreLon, precisionM: Math.ceil(halfDiagonalM) };
}

/** The position as shared under a policy: coarsened when it has a grid, else exact. */
export function coarsen(lat: number, lon: number, gridM: number | null): CoarsePosition {
  return gridM === null ? { lat, lon, precisionM: 0 } : snapToGrid(lat, lon, gridM);
}
