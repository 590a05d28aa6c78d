// A fix from the phone's own GPS, as the Geolocation API reports it (W3C Geolocation, GeolocationCoordinates).
import type { Fix } from '../../../../src/model/index.js';

export interface DeviceFix {
  /** When the device took the position, ms since epoch (GeolocationPosition.timestamp). */
  timeMs: number;
  lat: number;
  lon: number;
  /** 1-sigma horizontal accuracy, metres: the browser's `accuracy` (a 95 % radius on some platforms; taken as σ, which errs on the safe side). */
  accuracyM: number;
  altM?: number;
  speedMps?: number;
  courseDeg?: number;
}

export function deviceFixFrom(position: GeolocationPosition): DeviceFix {
  const c = position.coords;
  const fix: DeviceFix = { timeMs: position.timestamp, lat: c.latitude, lon: c.longitude, accuracyM: c.accuracy };
  if (c.altitude !== null && Number.isFinite(c.altitude)) fix.altM = c.altitude;
  if (c.speed !== null && Number.isFinite(c.speed)) fix.speedMps = c.speed;
  // heading is NaN while standing still.
  if (c.heading !== null && Number.isFinite(c.heading)) fix.courseDeg = c.heading;
  return fix;
}

/** The track rules' view of the fix. */
export function trackFix(fix: DeviceFix, unit: string): Fix {
  return { unit, time: fix.timeMs, lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM, source: 'json' };
}
