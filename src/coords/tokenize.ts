import { badPosition, quoted } from './position-error.js';
import { decimalCommaError } from './parse-decimal.js';

// Splits a hemisphere / degrees-minutes-seconds position into tokens in one linear
// scan. Letters are read in context: "s" after "31d33m37.1" is seconds, while
// "31.56s" is the southern hemisphere.

export const DEGREES = 0;
export const MINUTES = 1;
export const SECONDS = 2;
export type Unit = typeof DEGREES | typeof MINUTES | typeof SECONDS;

export type Token =
  | { kind: 'number'; text: string; value: number; negative: boolean; signed: boolean; whole: boolean; column: number }
  | { kind: 'unit'; unit: Unit; column: number }
  | { kind: 'hemisphere'; letter: 'N' | 'S' | 'E' | 'W'; column: number }
  | { kind: 'comma'; column: number };

const DEGREE_MARKS = '°º˚';
const MINUTE_MARKS = "'′’‘´";
const SECOND_MARKS = '"″”“';
const MINUS_SIGNS = '-−';
// "O" is Oeste, Spanish for west; it has no other meaning in a position.
const HEMISPHERES: Record<string, 'N' | 'S' | 'E' | 'W'> = { N: 'N', S: 'S', E: 'E', W: 'W', O: 'W' };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Tokens of trimmed text; throws a bad-position error naming the column of anything unreadable. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let unitSeen = false; // a degree or minute mark since the last hemisphere or comma
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const column = i + 1;
    const previous = tokens[tokens.length - 1];
    const touchesNumber = previous?.kind === 'number' && i > 0 && !isBlank(text[i - 1]);
    if (isBlank(c)) { i++; continue; }
    if (isDigit(c) || c === '.' || ((c === '+' || MINUS_SIGNS.includes(c)) && (isDigit(text[i + 1]) || text[i + 1] === '.'))) {
      i = readNumber(text, i, tokens);
      continue;
    }
    if (c === ',') {
      if (isDigit(text[i - 1]) && isDigit(text[i + 1]) && !dottedNeighbour(text, i)) throw decimalCommaError(text);
      tokens.push({ kind: 'comma', column });
      unitSeen = false;
      i++;
      continue;
    }
    const unit = unitAt(text, i, c, touchesNumber, unitSeen);
    if (unit !== undefined) {
      if (previous?.kind !== 'number') throw badPosition(`${quoted(text)}: the mark '${c}' at column ${column} does not follow a number`, column);
      tokens.push({ kind: 'unit', unit, column });
      if (unit !== SECONDS) unitSeen = true;
      i += unit === SECONDS && MINUTE_MARKS.includes(c) ? 2 : 1; // two minute marks ('') write seconds
      continue;
    }
    const upper = c.toUpperCase();
    if (upper === 'E' && touchesNumber && /[0-9+\-]/.test(text[i + 1] ?? '')) {
      throw badPosition(`${quoted(text)}: exponent notation at column ${column} is not accepted in a position`, column);
    }
    const letter = HEMISPHERES[upper];
    if (letter) {
      tokens.push({ kind: 'hemisphere', letter, column });
      unitSeen = false;
      i++;
      continue;
    }
    throw badPosition(
      `not a position: unexpected '${c}' at column ${column} of ${quoted(text)}; expected decimal degrees, DMS, MGRS or UTM`,
      column,
    );
  }
  return tokens;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

function readNumber(text: string, start: number, tokens: Token[]): number {
  let i = start;
  const signed = !isDigit(text[i]) && text[i] !== '.';
  const negative = signed && MINUS_SIGNS.includes(text[i]);
  if (signed) i++;
  const digitsStart = i;
  while (isDigit(text[i])) i++;
  let whole = true;
  if (text[i] === '.') {
    whole = false;
    i++;
    while (isDigit(text[i])) i++;
  }
  const digits = text.slice(digitsStart, i);
  if (digits === '.') throw badPosition(`${quoted(text)}: a lone '.' at column ${start + 1} is not a number`, start + 1);
  const value = Number(digits);
  tokens.push({ kind: 'number', text: text.slice(start, i), value, negative, signed, whole, column: start + 1 });
  return i;
}

/** The unit a mark or unit letter at `i` stands for, or undefined when it is not one. */
function unitAt(text: string, i: number, c: string, touchesNumber: boolean, unitSeen: boolean): Unit | undefined {
  if (DEGREE_MARKS.includes(c)) return DEGREES;
  if (MINUTE_MARKS.includes(c)) return MINUTE_MARKS.includes(text[i + 1] ?? '') ? SECONDS : MINUTES;
  if (SECOND_MARKS.includes(c)) return SECONDS;
  if (!touchesNumber) return undefined;
  if (c === 'd' || c === 'D') return DEGREES;
  if (c === 'm' || c === 'M') return MINUTES;
  if ((c === 's' || c === 'S') && unitSeen) return SECONDS;
  return undefined;
}

/** A comma between digits separates two numbers (not a decimal comma) when a number beside it has a point. */
function dottedNeighbour(text: string, comma: number): boolean {
  let i = comma - 1;
  while (isDigit(text[i])) i--;
  if (text[i] === '.') return true;
  i = comma + 1;
  while (isDigit(text[i])) i++;
  return text[i] === '.';
}
