import GeographicLib from 'geographiclib-mgrs';
import { badPosition, quoted } from './position-error.js';
import { utmMgrs } from './mgrs-utm.js';
import { checkLatLon } from './range.js';
import type { ParsedPosition } from './types.js';

// MGRS through geographiclib-mgrs, a port of GeographicLib's MGRS/UTMUPS classes: it agrees
// with GeographicLib C++ to nanometres and refuses malformed grid squares, where the
// proj4js `mgrs` package decoded references like "13XCR1234567890" to a point near the pole.

const MAX_DIGITS = 5; // per coordinate: 5 digits is the 1 m square, the finest MGRS defines
const UTM_BANDS = 'CDEFGHJKLMNPQRSTUVWX';
const UPS_BANDS = 'ABYZ';

/** True when the text has the shape of an MGRS reference ("13RCR1234567890", "13R CR 123 456", polar "ZAB1234512345"). */
export function looksLikeMgrs(text: string): boolean {
  return /^\d{1,2}[a-z]{2}/i.test(text) || /^\d{1,2} ?[a-z] ?[a-z]{2}/i.test(text) || /^[abyz] ?[a-z]{2} ?\d/i.test(text);
}

/** Reads an MGRS reference; the position is the centre of the square it names. */
export function parseMgrs(text: string): ParsedPosition {
  const compact = text.replace(/[ \t]+/g, '').toUpperCase();
  const shape = /^(\d{0,2})([A-Z])([A-Z]{2})(\d*)$/.exec(compact);
  if (!shape) {
    throw badPosition(
      `${quoted(text)} is not an MGRS reference: expected a zone (1-60), a latitude band letter, ` +
        `two 100 km square letters and up to 10 digits, e.g. '13RCR1234567890'`,
    );
  }
  const [, zoneText, band, square, digits] = shape;
  checkZoneAndBand(text, zoneText, band);
  checkDigits(text, digits);
  let lat: number;
  let lon: number;
  try {
    const grid = GeographicLib.MGRS.reverse(compact, true);
    const geographic = GeographicLib.UTMUPS.reverse(grid.zone, grid.northp, grid.x, grid.y, false);
    if (!geographic) throw new Error('no position for this grid square');
    ({ lat, lon } = geographic);
  } catch (error) {
    throw badPosition(`${quoted(text)} is not a valid MGRS reference: ${explain(error, zoneText, band, square)}`);
  }
  checkLatLon(lat, lon);
  return { lat, lon, form: 'mgrs', precisionM: 10 ** (MAX_DIGITS - digits.length / 2), mgrs: compact.replace(/^0(?=\d)/, '') };
}

function checkZoneAndBand(text: string, zoneText: string, band: string): void {
  if (zoneText === '') {
    if (!UPS_BANDS.includes(band)) {
      throw badPosition(`${quoted(text)} is not an MGRS reference: it needs a UTM zone number (1-60) before the band letter ${band}`);
    }
    return;
  }
  const zone = Number(zoneText);
  if (zone < 1 || zone > 60) throw badPosition(`${quoted(text)}: zone ${zoneText} is not a UTM zone (1-60)`);
  if (UPS_BANDS.includes(band)) {
    throw badPosition(`${quoted(text)}: band ${band} is a polar (UPS) band and takes no zone number`);
  }
  if (!UTM_BANDS.includes(band)) {
    throw badPosition(`${quoted(text)}: ${band} is not a latitude band letter (C-X, without I and O)`);
  }
}

function checkDigits(text: string, digits: string): void {
  if (digits.length % 2 === 1) {
    throw badPosition(
      `${quoted(text)} has an odd number of digits (${digits.length}): easting and northing need the same number`,
    );
  }
  if (digits.length > 2 * MAX_DIGITS) {
    throw badPosition(`${quoted(text)} has ${digits.length} digits: MGRS gives at most ${MAX_DIGITS} for easting and ${MAX_DIGITS} for northing (1 m)`);
  }
  const groups = text.trim().split(/[ \t]+/).filter((group) => /^\d+$/.test(group));
  if (groups.length === 2 && groups[0].length !== groups[1].length) {
    throw badPosition(
      `${quoted(text)}: easting ${groups[0]} and northing ${groups[1]} have different numbers of digits`,
    );
  }
}

/** GeographicLib's reason, reworded where the port's message is garbled or terse. */
function explain(error: unknown, zoneText: string, band: string, square: string): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (reason.startsWith('Block ')) return `the 100 km square ${square} does not lie in zone ${zoneText} band ${band}`;
  if (reason.startsWith('Column letter')) return `${square[0]} is not a 100 km column letter in zone ${zoneText || band} (${reason})`;
  if (reason.includes('Row letter')) return `${square[1]} is not a 100 km row letter (${reason.replace(/^zone \S+ \S+ /, '')})`;
  return reason;
}

const UNSPACED: MgrsFormatOptions = Object.freeze({});

export interface MgrsFormatOptions {
  /** Group as "13R CR 12345 67890" instead of "13RCR1234567890". */
  spaced?: boolean;
}

/**
 * The MGRS reference of the square, `digits` per coordinate (5: 1 m, 1: 10 km, 0: 100 km),
 * that contains the point: MGRS truncates rather than rounds. The zone is written without
 * a leading zero ("3Q", not "03Q"), as in the usual MGRS examples.
 */
export function formatMgrs(lat: number, lon: number, digits = MAX_DIGITS, options: MgrsFormatOptions = UNSPACED): string {
  checkLatLon(lat, lon);
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_DIGITS) {
    throw badPosition(`MGRS precision ${digits} is not a whole number of digits from 0 to ${MAX_DIGITS}`);
  }
  let reference: string;
  try {
    // In the UTM latitudes the proj4js formatter gives the same references as GeographicLib (checked on
    // border points against GeoConvert) about eight times faster: geographiclib-mgrs rebuilds its
    // projection on every call, and `lindero where` formats one reference per stdin line. utmMgrs is that
    // formatter's arithmetic without its objects and strings (mgrs-utm.ts).
    reference = digits >= 1 && lat >= -80 && lat < 84 ? utmMgrs(lat, lon, digits) : GeographicLib.forward([lon, lat], digits);
  } catch (error) {
    throw badPosition(`no MGRS reference for ${lat}, ${lon}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (reference.charCodeAt(0) === 48) reference = reference.slice(1); // "03Q…" → "3Q…"
  return options.spaced ? spaceMgrs(reference) : reference;
}

/**
 * An MGRS reference grouped as printed on maps: "13RCR4627817952" → "13R CR 46278 17952" (a polar one has
 * no zone: "ZAH1234" → "Z AH 12 34"). Anything that is not a reference comes back as it was.
 */
export function spaceMgrs(reference: string): string {
  const m = /^(\d{0,2}[A-Z])\s*([A-Z]{2})\s*(\d*)\s*(\d*)$/.exec(reference.trim());
  if (!m) return reference;
  const digits = m[3] + m[4];
  if (digits.length % 2 !== 0) return reference;
  const half = digits.length / 2;
  return [m[1], m[2], digits.slice(0, half), digits.slice(half)].filter((part) => part !== '').join(' ');
}
