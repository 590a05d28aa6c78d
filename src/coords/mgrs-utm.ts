// The MGRS reference of a position in the UTM latitudes (80°S to 84°N), as the proj4js `mgrs` package (2.2.0)
// writes it, without its intermediate objects and strings: `lindero where` formats one reference per stdin
// line, and the package's allocations were a tenth of a batch's time. The arithmetic is the package's own
// (LLtoUTM: Snyder's series with its constants, the same operations in the same order, so the same doubles),
// and the letters its 100 km square rules; mgrs-format.test.ts holds the two equal over the globe.

const ECC_SQUARED = 0.00669438;
const SCALE_FACTOR = 0.9996;
const SEMI_MAJOR_AXIS = 6378137;
const EASTING_OFFSET = 500000;
const NORTHING_OFFSET = 10000000;
const UTM_ZONE_WIDTH = 6;
const HALF_UTM_ZONE_WIDTH = UTM_ZONE_WIDTH / 2;
const BANDS = 'CDEFGHJKLMNPQRSTUVWX';
const A = 65, I = 73, O = 79, V = 86, Z = 90;
const SET_ORIGIN_COLUMN_LETTERS = 'AJSAJS';
const SET_ORIGIN_ROW_LETTERS = 'AFAFAF';

// The texts below are made on first use, each once, not all when the module loads: a phone opening field
// mode needs a handful of them, and making all 2,480 cost some 20 ms of its start at CPU ×4 (measured).
/** "13R"-style zone and band texts: [zone 1…60 × 20 + band]. */
const ZONE_BAND: (string | undefined)[] = new Array(61 * BANDS.length);
/** The two letters of each 100 km square: [(set 1…6 × 9 + column 0…8) × 20 + row 0…19]. */
const SQUARES: (string | undefined)[] = new Array(7 * 9 * 20);

/**
 * The reference with `digits` (1…5) per coordinate, for latitudes from −80 to below 84 (the caller's
 * range; outside it the package is not used either). Zone exceptions for Norway and Svalbard included.
 */
export function utmMgrs(lat: number, lon: number, digits: number): string {
  // The package's degToRad: deg * (Math.PI / 180.0).
  const latRad = lat * (Math.PI / 180);
  const lonRad = lon * (Math.PI / 180);
  let zone = Math.floor((lon + 180) / 6) + 1;
  if (lon === 180) zone = 60;
  if (lat >= 56 && lat < 64 && lon >= 3 && lon < 12) zone = 32;
  if (lat >= 72 && lat < 84) {
    if (lon >= 0 && lon < 9) zone = 31;
    else if (lon >= 9 && lon < 21) zone = 33;
    else if (lon >= 21 && lon < 33) zone = 35;
    else if (lon >= 33 && lon < 42) zone = 37;
  }
  const lonOrigin = (zone - 1) * UTM_ZONE_WIDTH - 180 + HALF_UTM_ZONE_WIDTH;
  const lonOriginRad = lonOrigin * (Math.PI / 180);
  const e2 = ECC_SQUARED;
  const eccPrimeSquared = e2 / (1 - e2);
  const a = SEMI_MAJOR_AXIS;
  const N = a / Math.sqrt(1 - e2 * Math.sin(latRad) * Math.sin(latRad));
  const T = Math.tan(latRad) * Math.tan(latRad);
  const C = eccPrimeSquared * Math.cos(latRad) * Math.cos(latRad);
  const A1 = Math.cos(latRad) * (lonRad - lonOriginRad);
  const M = a * ((1 - e2 / 4 - 3 * e2 * e2 / 64 - 5 * e2 * e2 * e2 / 256) * latRad - (3 * e2 / 8 + 3 * e2 * e2 / 32 + 45 * e2 * e2 * e2 / 1024) * Math.sin(2 * latRad) + (15 * e2 * e2 / 256 + 45 * e2 * e2 * e2 / 1024) * Math.sin(4 * latRad) - (35 * e2 * e2 * e2 / 3072) * Math.sin(6 * latRad));
  const easting = Math.trunc(SCALE_FACTOR * N * (A1 + (1 - T + C) * A1 * A1 * A1 / 6 + (5 - 18 * T + T * T + 72 * C - 58 * eccPrimeSquared) * A1 * A1 * A1 * A1 * A1 / 120) + EASTING_OFFSET);
  let northingM = SCALE_FACTOR * (M + N * Math.tan(latRad) * (A1 * A1 / 2 + (5 - T + 9 * C + 4 * C * C) * A1 * A1 * A1 * A1 / 24 + (61 - 58 * T + T * T + 600 * C - 330 * eccPrimeSquared) * A1 * A1 * A1 * A1 * A1 * A1 / 720));
  if (lat < 0) northingM += NORTHING_OFFSET;
  const northing = Math.trunc(northingM);
  const band = lat >= 72 ? BANDS.length - 1 : Math.floor((lat + 80) / 8);
  const set = zone % 6 === 0 ? 6 : zone % 6;
  const column = Math.floor(easting / 100000), row = Math.floor(northing / 100000) % 20;
  // Outside what the table holds (eastings beyond a zone's 8 columns do not occur below 84°N): made each time.
  const squareText = column >= 0 && column <= 8 ? (SQUARES[(set * 9 + column) * 20 + row] ??= letters(column, row, set)) : letters(column, row, set);
  const zoneBand = ZONE_BAND[zone * BANDS.length + band] ??= `${zone}${BANDS[band]}`;
  return zoneBand + squareText + lastDigits(easting, digits) + lastDigits(northing, digits);
}

/** The first `digits` of the last five digits of n (n ≥ 0), zero-padded: the package's substr of '00000' + n. */
function lastDigits(n: number, digits: number): string {
  const five = n % 100000;
  const d0 = (five / 10000) | 0, d1 = ((five / 1000) | 0) % 10, d2 = ((five / 100) | 0) % 10, d3 = ((five / 10) | 0) % 10, d4 = five % 10;
  if (digits === 5) return String.fromCharCode(48 + d0, 48 + d1, 48 + d2, 48 + d3, 48 + d4);
  return String.fromCharCode(48 + d0, 48 + d1, 48 + d2, 48 + d3, 48 + d4).slice(0, digits);
}

/** The package's getLetter100kID: the two letters of a 100 km square. */
function letters(column: number, row: number, set: number): string {
  const index = set - 1;
  const colOrigin = SET_ORIGIN_COLUMN_LETTERS.charCodeAt(index);
  const rowOrigin = SET_ORIGIN_ROW_LETTERS.charCodeAt(index);
  let colInt = colOrigin + column - 1;
  let rowInt = rowOrigin + row;
  let rollover = false;
  if (colInt > Z) {
    colInt = colInt - Z + A - 1;
    rollover = true;
  }
  if (colInt === I || (colOrigin < I && colInt > I) || ((colInt > I || colOrigin < I) && rollover)) colInt++;
  if (colInt === O || (colOrigin < O && colInt > O) || ((colInt > O || colOrigin < O) && rollover)) {
    colInt++;
    if (colInt === I) colInt++;
  }
  if (colInt > Z) colInt = colInt - Z + A - 1;
  if (rowInt > V) {
    rowInt = rowInt - V + A - 1;
    rollover = true;
  } else {
    rollover = false;
  }
  if (rowInt === I || (rowOrigin < I && rowInt > I) || ((rowInt > I || rowOrigin < I) && rollover)) rowInt++;
  if (rowInt === O || (rowOrigin < O && rowInt > O) || ((rowInt > O || rowOrigin < O) && rollover)) {
    rowInt++;
    if (rowInt === I) rowInt++;
  }
  if (rowInt > V) rowInt = rowInt - V + A - 1;
  return String.fromCharCode(colInt) + String.fromCharCode(rowInt);
}
