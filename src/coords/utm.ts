import GeographicLib from 'geographiclib-mgrs';
import { badPosition, quoted } from './position-error.js';
import { checkLatLon } from './range.js';
import type { ParsedPosition, UtmCoordinate } from './types.js';

// UTM as "13R 385000 3494000": zone, a letter, easting and northing in metres.
// The letter is ambiguous: "S" is both band S (32°N-40°N) and "southern hemisphere".
// Rule: read it as an MGRS latitude band (C-X); if the decoded latitude is outside that
// band and the letter is N or S, read it as a hemisphere instead when that is consistent;
// otherwise refuse. "13 385000mE 3494000mN N" (letter last) always names a hemisphere.

const UTM_BANDS = 'CDEFGHJKLMNPQRSTUVWX';
const NUMBER = String.raw`(\d{1,8}(?:\.\d{1,6})?)`;
const BAND_FIRST = new RegExp(String.raw`^(\d{1,2}) ?([a-z]) +${NUMBER} ?(?:me)?,? +${NUMBER} ?(?:mn)?$`, 'i');
const HEMISPHERE_LAST = new RegExp(String.raw`^(\d{1,2}) +${NUMBER} ?me,? +${NUMBER} ?mn +([ns])$`, 'i');
// A rounded coordinate on a band edge may fall a few metres outside the band.
const BAND_TOLERANCE_DEG = 0.0001;

/** Reads a UTM coordinate; undefined when the text does not have the UTM shape. */
export function parseUtm(text: string): ParsedPosition | undefined {
  const bandFirst = BAND_FIRST.exec(text);
  if (bandFirst) {
    const [, zone, letter, easting, northing] = bandFirst;
    return resolveLetter(text, checkZone(text, zone), letter.toUpperCase(), Number(easting), Number(northing));
  }
  const hemisphereLast = HEMISPHERE_LAST.exec(text);
  if (hemisphereLast) {
    const [, zone, easting, northing, hemisphere] = hemisphereLast;
    const north = hemisphere.toUpperCase() === 'N';
    const { lat, lon } = decode(text, checkZone(text, zone), north, Number(easting), Number(northing));
    return { lat, lon, form: 'utm' };
  }
  return undefined;
}

function checkZone(text: string, zoneText: string): number {
  const zone = Number(zoneText);
  if (zone < 1 || zone > 60) throw badPosition(`${quoted(text)}: zone ${zoneText} is not a UTM zone (1-60)`);
  return zone;
}

function resolveLetter(text: string, zone: number, letter: string, eastingM: number, northingM: number): ParsedPosition {
  const bandIndex = UTM_BANDS.indexOf(letter);
  if (bandIndex < 0) {
    throw badPosition(`${quoted(text)}: ${letter} after the zone is neither a latitude band (C-X, without I and O) nor a hemisphere (N or S)`);
  }
  const hemisphereLetter = letter === 'N' || letter === 'S';
  const asBand = tryDecode(text, zone, letter >= 'N', eastingM, northingM);
  if (!(asBand instanceof Error) && inBand(asBand.lat, bandIndex)) return { ...asBand, form: 'utm' };
  if (hemisphereLetter) {
    const asHemisphere = tryDecode(text, zone, letter === 'N', eastingM, northingM);
    if (!(asHemisphere instanceof Error) && (letter === 'N' ? asHemisphere.lat >= 0 : asHemisphere.lat <= 0)) {
      return { ...asHemisphere, form: 'utm' };
    }
  }
  if (asBand instanceof Error) throw asBand;
  const [south, north] = bandLimits(bandIndex);
  const alsoHemisphere = hemisphereLetter ? `, nor in the ${letter === 'N' ? 'northern' : 'southern'} hemisphere` : '';
  throw badPosition(
    `${quoted(text)}: northing ${northingM} m is latitude ${asBand.lat.toFixed(4)}, which is not in band ${letter} ` +
      `(${describeLatitude(south)} to ${describeLatitude(north)})${alsoHemisphere}`,
  );
}

function tryDecode(text: string, zone: number, north: boolean, eastingM: number, northingM: number): { lat: number; lon: number } | Error {
  try {
    return decode(text, zone, north, eastingM, northingM);
  } catch (error) {
    return error as Error;
  }
}

// GeographicLib's UTM limits (UTMUPS::Reverse, 100 km wider than MGRS's). The JavaScript port
// skips this check (its checkCoords returns false instead of throwing), so it is made here.
const EASTING_RANGE_M: [number, number] = [0, 1_000_000];
const NORTHING_RANGE_M = { north: [0, 9_600_000], south: [900_000, 10_000_000] };

function decode(text: string, zone: number, north: boolean, eastingM: number, northingM: number): { lat: number; lon: number } {
  const [minEastingM, maxEastingM] = EASTING_RANGE_M;
  if (eastingM < minEastingM || eastingM > maxEastingM) {
    throw badPosition(`${quoted(text)}: easting ${eastingM} m is outside the UTM range [${minEastingM}, ${maxEastingM}] m`);
  }
  const [minNorthingM, maxNorthingM] = NORTHING_RANGE_M[north ? 'north' : 'south'];
  if (northingM < minNorthingM || northingM > maxNorthingM) {
    throw badPosition(
      `${quoted(text)}: northing ${northingM} m is outside the UTM range [${minNorthingM}, ${maxNorthingM}] m ` +
        `for the ${north ? 'northern' : 'southern'} hemisphere`,
    );
  }
  let geographic;
  try {
    geographic = GeographicLib.UTMUPS.reverse(zone, north, eastingM, northingM, false);
  } catch (error) {
    throw badPosition(`${quoted(text)} is not a valid UTM coordinate: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!geographic) throw badPosition(`${quoted(text)} is not a valid UTM coordinate`);
  checkLatLon(geographic.lat, geographic.lon);
  return { lat: geographic.lat, lon: geographic.lon };
}

function bandLimits(bandIndex: number): [number, number] {
  const south = -80 + 8 * bandIndex;
  return [south, UTM_BANDS[bandIndex] === 'X' ? 84 : south + 8];
}

function inBand(lat: number, bandIndex: number): boolean {
  const [south, north] = bandLimits(bandIndex);
  return lat >= south - BAND_TOLERANCE_DEG && lat <= north + BAND_TOLERANCE_DEG;
}

function describeLatitude(lat: number): string {
  return lat === 0 ? '0°' : `${Math.abs(lat)}°${lat < 0 ? 'S' : 'N'}`;
}

/** The UTM coordinate of a point in its standard zone (with the Norway and Svalbard exceptions). */
export function toUtm(lat: number, lon: number): UtmCoordinate {
  checkLatLon(lat, lon);
  if (lat < -80 || lat >= 84) {
    throw badPosition(`latitude ${lat} is polar: UTM covers 80°S to 84°N (use MGRS, which has the polar UPS grid)`);
  }
  const grid = GeographicLib.UTMUPS.forward(lat, lon);
  const band = UTM_BANDS[GeographicLib.MGRS.latitudeBand(lat) + 10];
  return { zone: grid.zone, band, hemisphere: grid.northp ? 'N' : 'S', eastingM: grid.x, northingM: grid.y };
}

/** "13R 385000 3494000": zone, band letter, easting and northing rounded to the metre. */
export function formatUtm(lat: number, lon: number): string {
  const { zone, band, eastingM, northingM } = toUtm(lat, lon);
  return `${zone}${band} ${Math.round(eastingM)} ${Math.round(northingM)}`;
}
