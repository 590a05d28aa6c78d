import { badPosition, quoted } from './position-error.js';
import { checkLatLon } from './range.js';
import { DEGREES, MINUTES, tokenize, type Token, type Unit } from './tokenize.js';
import type { ParsedPosition } from './types.js';
import { lastDigitStep, writtenCellM } from './written-cell.js';

// Positions with hemisphere letters and/or degrees, minutes and seconds:
// "31.5603N 106.2237W", "N31.5603 W106.2237", "31°33'37.1"N 106°13'25.3"W",
// "31 33 37.1 N 106 13 25.3 W", "31°33.618'N 106°13.42'W", "-31 33 37.1, 106 13 25.3".

type NumberToken = Extract<Token, { kind: 'number' }>;
type Axis = 'lat' | 'lon';
/** A coordinate's value, its axis when a hemisphere letter gave one, and the place of its last written digit in degrees. */
interface Coordinate { value: number; axis?: Axis; sexagesimal: boolean; stepDeg: number }

const UNIT_NAMES = ['degrees', 'minutes', 'seconds'];
/** Degrees, minutes and seconds in a degree. */
const UNIT_DEGREES = [1, 60, 3600];

export function parseSexagesimal(text: string): ParsedPosition {
  const tokens = tokenize(text);
  const [firstTokens, secondTokens] = splitCoordinates(text, tokens);
  const first = readCoordinate(text, firstTokens);
  const second = readCoordinate(text, secondTokens);
  let [lat, lon, latStep, lonStep] = [first.value, second.value, first.stepDeg, second.stepDeg];
  if (first.axis && second.axis) {
    if (first.axis === second.axis) {
      const which = first.axis === 'lat' ? 'latitudes (N or S)' : 'longitudes (E or W)';
      throw badPosition(`${quoted(text)} gives two ${which}: one coordinate needs N or S and the other E or W`);
    }
    if (first.axis === 'lon') [lat, lon, latStep, lonStep] = [second.value, first.value, second.stepDeg, first.stepDeg];
  }
  checkLatLon(lat, lon);
  const position: ParsedPosition = { lat, lon, form: first.sexagesimal || second.sexagesimal ? 'dms' : 'decimal' };
  const cell = writtenCellM(lat, latStep, lonStep);
  if (cell !== undefined) position.precisionM = cell;
  return position;
}

function splitCoordinates(text: string, tokens: Token[]): [Token[], Token[]] {
  const hemispheres = tokens.filter((t) => t.kind === 'hemisphere').length;
  if (hemispheres > 0) return splitAtHemispheres(text, tokens, hemispheres);
  const commas = tokens.flatMap((t, i) => (t.kind === 'comma' ? [i] : []));
  if (commas.length > 1) {
    throw badPosition(`${quoted(text)} has ${commas.length} commas; put one comma (or a space) between latitude and longitude`);
  }
  if (commas.length === 1) return [tokens.slice(0, commas[0]), tokens.slice(commas[0] + 1)];
  const degreeMarks = tokens.flatMap((t, i) => (t.kind === 'unit' && t.unit === DEGREES ? [i] : []));
  if (degreeMarks.length === 2) return [tokens.slice(0, degreeMarks[1] - 1), tokens.slice(degreeMarks[1] - 1)];
  const numbers = tokens.filter((t): t is NumberToken => t.kind === 'number');
  if (numbers.length !== 2 && numbers.length !== 4 && numbers.length !== 6) throw numberCountError(text, numbers);
  const splitAt = tokens.indexOf(numbers[numbers.length / 2]);
  return [tokens.slice(0, splitAt), tokens.slice(splitAt)];
}

function numberCountError(text: string, numbers: NumberToken[]): Error {
  const count = numbers.length === 1 ? 'one number' : `${numbers.length} numbers`;
  let message =
    `${quoted(text)} has ${count}: expected a latitude and a longitude as 2 numbers (decimal degrees), ` +
    `4 (degrees and minutes) or 6 (degrees, minutes and seconds)`;
  const [zone, easting] = numbers;
  if (numbers.length === 3 && zone.whole && zone.value >= 1 && zone.value <= 60 && easting.value > 1000) {
    message += `; for UTM, put a latitude band or hemisphere letter after the zone, e.g. '13R 385000 3494000'`;
  }
  return badPosition(message);
}

function splitAtHemispheres(text: string, tokens: Token[], hemispheres: number): [Token[], Token[]] {
  if (hemispheres !== 2) {
    const count = hemispheres === 1 ? 'one hemisphere letter' : `${hemispheres} hemisphere letters`;
    throw badPosition(
      `${quoted(text)} has ${count}: give one for latitude (N or S) and one for longitude (E or W), ` +
        `e.g. '31.5603N 106.2237W', or none and use signs`,
    );
  }
  const secondAt = tokens.findIndex((t, i) => i > 0 && t.kind === 'hemisphere');
  const prefixed = tokens[0].kind === 'hemisphere';
  let first = prefixed ? tokens.slice(0, secondAt) : tokens.slice(0, tokens.findIndex((t) => t.kind === 'hemisphere') + 1);
  let second = tokens.slice(first.length);
  if (first[first.length - 1]?.kind === 'comma') first = first.slice(0, -1);
  if (second[0]?.kind === 'comma') second = second.slice(1);
  const placed = (group: Token[]): boolean => group[prefixed ? 0 : group.length - 1]?.kind === 'hemisphere';
  if (!placed(first) || !placed(second) || first.length < 2 || second.length < 2) {
    throw badPosition(
      `${quoted(text)}: hemisphere letters must all come after their numbers ('31.5N 106.2W') or all before ('N31.5 W106.2')`,
    );
  }
  return [first, second];
}

/** One coordinate: an optional hemisphere letter and up to three numbers (degrees, minutes, seconds). */
function readCoordinate(text: string, tokens: Token[]): Coordinate {
  let hemisphere: 'N' | 'S' | 'E' | 'W' | undefined;
  const parts: { number: NumberToken; unit?: Unit; unitColumn?: number }[] = [];
  for (const token of tokens) {
    if (token.kind === 'hemisphere') hemisphere = token.letter;
    else if (token.kind === 'number') parts.push({ number: token });
    else if (token.kind === 'comma') {
      throw badPosition(`${quoted(text)}: unexpected comma at column ${token.column}`, token.column);
    } else {
      const last = parts[parts.length - 1];
      if (!last || last.unit !== undefined) {
        throw badPosition(`${quoted(text)}: the mark at column ${token.column} does not follow a number`, token.column);
      }
      last.unit = token.unit;
      last.unitColumn = token.column;
    }
  }
  if (parts.length === 0) throw badPosition(`${quoted(text)}: a coordinate has no number`);
  if (parts.length > 3) {
    throw badPosition(`${quoted(text)}: ${parts.length} numbers in one coordinate; at most degrees, minutes and seconds`);
  }
  const value = sexagesimalValue(text, parts);
  const negative = parts[0].number.negative;
  if (hemisphere && negative) {
    throw badPosition(`${quoted(text)} gives both a minus sign and the hemisphere letter ${hemisphere}: use one or the other`);
  }
  const southOrWest = negative || hemisphere === 'S' || hemisphere === 'W';
  const axis: Axis | undefined = hemisphere === undefined ? undefined : hemisphere === 'N' || hemisphere === 'S' ? 'lat' : 'lon';
  // The last number's last digit: "45'" is to the minute, "45.7'" to the tenth of one.
  const stepDeg = lastDigitStep(parts[parts.length - 1].number.text) / UNIT_DEGREES[parts.length - 1];
  return { value: southOrWest ? -value : value, axis, sexagesimal: parts.length > 1, stepDeg };
}

function sexagesimalValue(text: string, parts: { number: NumberToken; unit?: Unit; unitColumn?: number }[]): number {
  let degrees = 0;
  parts.forEach((part, index) => {
    const { number } = part;
    if (part.unit !== undefined && part.unit !== index) {
      throw badPosition(
        `${quoted(text)}: ${UNIT_NAMES[part.unit]} mark at column ${part.unitColumn} where ${UNIT_NAMES[index]} were expected`,
        part.unitColumn,
      );
    }
    if (index > 0 && number.signed) {
      throw badPosition(`${quoted(text)}: ${UNIT_NAMES[index]} ${number.text} cannot carry a sign`, number.column);
    }
    if (index < parts.length - 1 && !number.whole) {
      throw badPosition(
        `${quoted(text)}: ${UNIT_NAMES[index]} ${number.text} must be a whole number when ${UNIT_NAMES[index + 1]} follow`,
        number.column,
      );
    }
    if (index >= MINUTES && number.value >= 60) {
      throw badPosition(`${quoted(text)}: ${UNIT_NAMES[index]} ${number.text} must be less than 60`, number.column);
    }
    degrees += index === DEGREES ? number.value : index === MINUTES ? number.value / 60 : number.value / 3600;
  });
  return degrees;
}
