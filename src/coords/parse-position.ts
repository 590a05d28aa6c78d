import { LinderoError, MAX_ACCURACY_M } from '../model/index.js';
import { looksLikeMgrs, parseMgrs } from './mgrs.js';
import { parsePlainDecimal } from './parse-decimal.js';
import { parseSexagesimal } from './parse-dms.js';
import { badPosition, quoted } from './position-error.js';
import { parseUtm } from './utm.js';
import type { ParsedPosition } from './types.js';

/** Longest text read as a position; the longest real DMS form is about 60 characters. */
export const MAX_POSITION_CHARS = 200;

/**
 * Reads a position written as decimal degrees, degrees-minutes-seconds, MGRS or UTM, and the accuracy
 * written after it, if any ("±8").
 * Throws LinderoError('bad-position', ..., {field: 'position'}) saying what is wrong.
 */
export function parsePosition(text: string): ParsedPosition {
  if (typeof text !== 'string') throw badPosition(`a position must be text, not ${text === null ? 'null' : typeof text}`);
  // Checked before anything else looks at the text, so a huge line costs nothing.
  if (text.length > MAX_POSITION_CHARS * 4) {
    throw badPosition(`input is ${text.length} characters long; a position is at most ${MAX_POSITION_CHARS}`);
  }
  const trimmed = text.trim();
  if (trimmed.length > MAX_POSITION_CHARS) {
    throw badPosition(`input is ${trimmed.length} characters long; a position is at most ${MAX_POSITION_CHARS}`);
  }
  const stated = ACCURACY_SUFFIX.exec(trimmed);
  if (!stated) return parseForm(trimmed);
  const accuracyM = statedAccuracyM(stated[1], trimmed, stated.index);
  try {
    return { ...parseForm(trimmed.slice(0, stated.index)), accuracyM };
  } catch (e) {
    // Say what was taken away: '31.5+-106.3' is one number and an accuracy, not a position.
    if (!(e instanceof LinderoError)) throw e;
    throw badPosition(`${e.message} (with ${quoted(trimmed.slice(stated.index).trim())} read as its accuracy)`);
  }
}

/** The position itself, in whichever form it is written. */
function parseForm(trimmed: string): ParsedPosition {
  if (trimmed === '') throw badPosition('no position given: the text is empty');
  const plain = parsePlainDecimal(trimmed);
  if (plain) return plain;
  refuseControlCharacters(trimmed);
  // Text pasted from web pages and documents often carries no-break and thin spaces.
  const spaced = trimmed.replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ');
  if (looksLikeMgrs(spaced)) return parseMgrs(spaced);
  return parseUtm(spaced) ?? parseSexagesimal(spaced);
}

/**
 * An accuracy written after the position: "±8", "± 8 m", "+/-8m", "+-8.5" (1-sigma, metres). The sign makes it
 * unambiguous: no form of a position has "±" or "+-" in it.
 */
const ACCURACY_SUFFIX = /\s*(?:±|\+\/?-)\s*([^\s]*?)\s*(?:m)?$/i;

function statedAccuracyM(text: string, whole: string, at: number): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0 && value <= MAX_ACCURACY_M)) {
    throw badPosition(`the accuracy after the position in '${whole}' must be a positive number of metres up to ${MAX_ACCURACY_M}, e.g. '±8', not '${text}'`, at + 1);
  }
  return value;
}

function refuseControlCharacters(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      throw badPosition(`control character U+${hex} at column ${i + 1}: a position is printable text`, i + 1);
    }
  }
}
