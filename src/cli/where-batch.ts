// The answers to a block of stdin lines, as UTF-8 bytes: what `lindero where` does for each line it reads,
// in the main thread or in a worker (where-worker.ts), which answer the same block alike.
import { ByteWriter, isCanonicalNumberText, whereJsonText, whereSentence, writeWhereJson, type EchoedNumbers, type Lang } from '../answer/index.js';
import { formatMgrs, parsePosition, type ParsedPosition } from '../coords/index.js';
import { LinderoError } from '../model/index.js';
import { classify, type Determination, type Layers } from '../geo/index.js';
// The splitter's own file, not ingest/index.ts: that would load every wire-format parser on start-up.
import type { LineItem } from '../ingest/index.js';
import { decimalPair, readDecimalPair } from './fast-decimal.js';

export interface WhereOptions {
  layers: Layers;
  accuracyM: number | undefined;
  json: boolean;
  lang: Lang;
}

/** Longest stdin line accepted; longer lines are reported, not parsed (a position is a few dozen characters). */
export const MAX_LINE = 1024;

/** A position as read: parsePosition's, or the batch's plain decimal pair (which has only lat and lon). */
type WrittenPosition = Pick<ParsedPosition, 'lat' | 'lon' | 'accuracyM' | 'precisionM' | 'mgrs'>;

/** judge's result, refilled per call (a batch judges millions of positions). */
const judged: { det: Determination; mgrs: string } = { det: undefined as unknown as Determination, mgrs: '' };

/**
 * The determination of a position as written, and its MGRS reference. The accuracy written with it, else
 * --accuracy's, else none (so assumed). A position written as an MGRS reference is the square it names (its
 * side, `precisionM`): its size counts in the uncertainty, and the reference is given back as written, not as a
 * 1 m square of its centre.
 */
function judge(position: WrittenPosition, opts: WhereOptions): typeof judged {
  const { lat, lon } = position;
  judged.det = classify({ lat, lon, accuracyM: position.accuracyM ?? opts.accuracyM, squareM: position.precisionM }, opts.layers);
  judged.mgrs = position.mgrs ?? formatMgrs(lat, lon);
  return judged;
}

/** The answer to one position: a JSON object or a sentence. */
export function answer(position: ParsedPosition, opts: WhereOptions): string {
  const { det, mgrs } = judge(position, opts);
  return opts.json ? whereJsonText(det, mgrs) : whereSentence(det, mgrs, opts.lang);
}

/** The current line's numbers as written (one object, refilled per line). */
const echo: EchoedNumbers = { text: '', latEnd: -1, lonStart: -1 };

/** What a line too long to be a position gets. */
export function oversizeLine(chars: number): LinderoError {
  return new LinderoError('bad-position', `line is ${chars} characters long; a position is at most ${MAX_LINE}`);
}

/** The output line for a line that could not be read. */
export function errorResult(line: number, e: LinderoError, json: boolean): string {
  return json ? JSON.stringify({ line, error: { code: e.code, message: e.message } }) : `line ${line}: ${e.message}`;
}

/**
 * Writes the output for one line, its answer or its error, and a newline; returns whether it was an error.
 * A plain decimal line is read without parsePosition, and in JSON its numbers are echoed as they were
 * written when that is exactly how JSON would print them (the usual case), saving two number prints.
 */
export function writeLine(out: ByteWriter, item: LineItem, opts: WhereOptions): boolean {
  const mark = out.used;
  try {
    if (!('text' in item)) throw oversizeLine(item.oversizeChars);
    const text = item.text;
    let position: WrittenPosition, echoed: EchoedNumbers | undefined;
    if (readDecimalPair(text)) {
      position = decimalPair;
      if (opts.json) {
        echo.text = text;
        echo.latEnd = isCanonicalNumberText(text, 0, decimalPair.latEnd) ? decimalPair.latEnd : -1;
        echo.lonStart = isCanonicalNumberText(text, decimalPair.lonStart, text.length) ? decimalPair.lonStart : -1;
        echoed = echo;
      }
    } else {
      position = parsePosition(text);
    }
    const { det, mgrs } = judge(position, opts);
    if (opts.json) writeWhereJson(out, det, mgrs, echoed);
    else out.text(whereSentence(det, mgrs, opts.lang));
    out.byte(10);
    return false;
  } catch (e) {
    if (!(e instanceof LinderoError)) throw e;
    out.used = mark;
    out.text(errorResult(item.line, e, opts.json));
    out.byte(10);
    return true;
  }
}

export interface AnsweredBlock {
  /** The output lines, each ending with a newline, UTF-8. */
  bytes: Uint8Array;
  /** How many of the block's lines could not be read. */
  bad: number;
}

/**
 * Answers `text`, whole lines numbered from `firstLine` (the last may lack its newline), into a byte
 * buffer of its own (a worker hands it over without a copy).
 */
export function answerBlock(text: string, firstLine: number, opts: WhereOptions): AnsweredBlock {
  const out = blockWriter;
  out.used = 0;
  let bad = 0;
  // The lines as LineSplitter cuts them (a CR before the LF dropped; a line over MAX_LINE + 1 characters
  // with its CR, or over MAX_LINE without, only counted), without its copy of each line: a block holds
  // whole lines.
  const line = { line: firstLine, text: '' };
  for (let start = 0; start < text.length; line.line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const textEnd = end > start && text.charCodeAt(end - 1) === 13 && end - start <= MAX_LINE + 1 ? end - 1 : end;
    if (textEnd - start > MAX_LINE) {
      if (writeLine(out, { line: line.line, oversizeChars: textEnd - start }, opts)) bad++;
    } else {
      line.text = text.slice(start, textEnd);
      if (writeLine(out, line, opts)) bad++;
    }
    start = end + 1;
  }
  return { bytes: out.bytes.slice(0, out.used), bad };
}

/**
 * The thread's one buffer that blocks are answered into (it grows to the largest block's output, some 600 KB
 * of JSON for a block of 1,400 lines): each block's answers are then copied out at their size. A fresh
 * buffer per block guessed from the input's length was too small for the JSON and grew by copying, and the
 * megabyte of garbage each left was a good part of the batch's time in the collector.
 */
const blockWriter = new ByteWriter(1 << 20);
