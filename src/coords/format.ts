import { badPosition } from './position-error.js';
import { checkLatLon } from './range.js';

/** "31.560300,-106.223700": the plain form that parsePosition reads fastest. */
export function formatDecimal(lat: number, lon: number, decimals = 6): string {
  checkLatLon(lat, lon);
  checkDecimals('decimal places', decimals, 10);
  return `${fixed(lat, decimals)},${fixed(lon, decimals)}`;
}

/** `31°33'37.1"N 106°13'25.3"W`, seconds to `secondDecimals` places, rounding carried into minutes and degrees. */
export function formatDms(lat: number, lon: number, secondDecimals = 1): string {
  checkLatLon(lat, lon);
  checkDecimals('decimal places of seconds', secondDecimals, 6);
  return `${dms(lat, secondDecimals, 'N', 'S')} ${dms(lon, secondDecimals, 'E', 'W')}`;
}

function checkDecimals(what: string, decimals: number, max: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > max) {
    throw badPosition(`${what} must be a whole number from 0 to ${max}, not ${decimals}`);
  }
}

/** toFixed without "-0.000000" for a value that rounds to zero. */
function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? text.replace('-', '') : text;
}

function dms(value: number, secondDecimals: number, positive: string, negative: string): string {
  const scale = 10 ** secondDecimals;
  // Round once, in whole units of the last printed digit, so 59.96" becomes 1' and not 60.0".
  let units = Math.round(Math.abs(value) * 3600 * scale);
  const hemisphere = value < 0 && units > 0 ? negative : positive;
  const secondUnits = units % (60 * scale);
  units = (units - secondUnits) / (60 * scale);
  const minutes = units % 60;
  const degrees = (units - minutes) / 60;
  const seconds = (secondUnits / scale).toFixed(secondDecimals).padStart(secondDecimals > 0 ? 3 + secondDecimals : 2, '0');
  return `${degrees}°${String(minutes).padStart(2, '0')}'${seconds}"${hemisphere}`;
}
