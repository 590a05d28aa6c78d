import { badPosition } from './position-error.js';

/** Throws a bad-position error unless lat is in [-90, 90] and lon in [-180, 180], both finite. */
export function checkLatLon(lat: number, lon: number): void {
  if (!Number.isFinite(lat)) throw badPosition(`latitude ${lat} is not a finite number`);
  if (!Number.isFinite(lon)) throw badPosition(`longitude ${lon} is not a finite number`);
  if (lat < -90 || lat > 90) {
    // The usual cause is GeoJSON habit: longitude written first.
    const swapped = Math.abs(lon) <= 90 && Math.abs(lat) <= 180;
    const hint = swapped ? ' (latitude comes first: was this written longitude, latitude?)' : '';
    throw badPosition(`latitude ${lat} is out of range [-90, 90]${hint}`);
  }
  if (lon < -180 || lon > 180) throw badPosition(`longitude ${lon} is out of range [-180, 180]`);
}
