import { isCanonicalNumberText, whereJsonText, whereSentence, type Lang } from '../answer/index.js';
import { formatMgrs, parsePosition } from '../coords/index.js';
import { LinderoError } from '../errors.js';
import { classify, type Layers } from '../geo/index.js';
// The splitter's own file, not ingest/index.ts: that would load every wire-format parser on start-up.
import { LineSplitter, type LineItem } from '../ingest/files/lines.js';
import { language, parseArgs, positiveNumber } from './args.js';
import { decimalPair, readDecimalPair } from './fast-decimal.js';
import { loadLayers } from './load-layers.js';
import type { CommandIo } from './io.js';

export const WHERE_HELP = `Usage: lindero where [POSITION] [--accuracy M] [--boundary FILE] [--fence FILE] [--json] [--lang en|es]

Which side of the boundary a position is on, how far the line is and in which direction, and how sure.
POSITION: 31.5603,-106.2237 | 31.5603 -106.2237 | 31.5603N 106.2237W | 31°33'37.1"N 106°13'25.3"W
          | MGRS 13RCR1234567890 | UTM 13R 385000 3494000
Without POSITION, reads one position per line from stdin and writes one result per line.
  --accuracy M   1-sigma GPS accuracy in metres (default 5)
  --boundary F   boundary layer (GeoJSON, KML/KMZ, GPX, Shapefile, GeoPackage); default: the U.S.–Mexico line
  --fence F      fence layer
  --json         print JSON (NDJSON for stdin)
  --lang en|es   language of the sentence (default en)`;

interface WhereOptions {
  layers: Layers;
  accuracyM: number;
  json: boolean;
  lang: Lang;
}

export async function command(argv: string[], io: CommandIo): Promise<number> {
  const args = parseArgs(argv, { values: ['accuracy', 'boundary', 'fence', 'lang'], flags: ['json', 'help'] });
  if (args.flags.has('help')) {
    io.out(WHERE_HELP + '\n');
    return 0;
  }
  const accuracyM = positiveNumber(args.options.accuracy, 'accuracy', 5);
  const lang = language(args.options.lang);
  const text = args.positionals.join(' ').trim();
  const position = text ? parsePosition(text) : null;
  const layers = await loadLayers(args.options.boundary, args.options.fence);
  for (const note of layers.notes) io.err(`note: ${note}\n`);
  const opts: WhereOptions = { layers, accuracyM, json: args.flags.has('json'), lang };
  if (position) {
    io.out(answer(position.lat, position.lon, opts) + '\n');
    return 0;
  }
  return whereStream(io, opts);
}

function answer(lat: number, lon: number, opts: WhereOptions): string {
  const det = classify({ lat, lon, accuracyM: opts.accuracyM }, opts.layers);
  const mgrs = formatMgrs(lat, lon);
  return opts.json ? whereJsonText(det, mgrs) : whereSentence(det, mgrs, opts.lang);
}

/**
 * The answer to a line already read by readDecimalPair. In JSON the numbers of the line are echoed as they
 * were written when that is exactly how JSON would print them (the usual case), saving two number prints.
 */
function answerDecimalLine(text: string, opts: WhereOptions): string {
  const { lat, lon, latEnd, lonStart } = decimalPair;
  if (!opts.json) return answer(lat, lon, opts);
  const det = classify({ lat, lon, accuracyM: opts.accuracyM }, opts.layers);
  const latText = isCanonicalNumberText(text, 0, latEnd) ? text.slice(0, latEnd) : undefined;
  const lonText = isCanonicalNumberText(text, lonStart, text.length) ? text.slice(lonStart) : undefined;
  return whereJsonText(det, formatMgrs(lat, lon), latText, lonText);
}

/** Longest stdin line accepted; longer lines are reported, not parsed (a position is a few dozen characters). */
const MAX_LINE = 1024;

/** Output is written in pieces of about this many characters (fewer, larger writes). */
const OUTPUT_CHUNK = 1 << 20;

/**
 * One position per stdin line in, one result per line out, in order; bad lines reported and skipped.
 * Lines are split with a length cap, so memory stays flat whatever the input holds.
 */
async function whereStream(io: CommandIo, opts: WhereOptions): Promise<number> {
  const splitter = new LineSplitter(MAX_LINE);
  const out = new OutputBuffer(io);
  let lines = 0;
  let bad = 0;
  const handle = (item: LineItem) => {
    lines++;
    let result: string;
    try {
      if (!('text' in item)) throw new LinderoError('bad-position', `line is ${item.oversizeChars} characters long; a position is at most ${MAX_LINE}`);
      if (readDecimalPair(item.text)) {
        result = answerDecimalLine(item.text, opts);
      } else {
        const p = parsePosition(item.text);
        result = answer(p.lat, p.lon, opts);
      }
    } catch (e) {
      if (!(e instanceof LinderoError)) throw e;
      bad++;
      result = opts.json
        ? JSON.stringify({ line: item.line, error: { code: e.code, message: e.message } })
        : `line ${item.line}: ${e.message}`;
    }
    out.line(result);
  };
  io.stdin.setEncoding('utf8');
  for await (const chunk of io.stdin) {
    for (const item of splitter.push(chunk as string)) handle(item);
    if (out.full) await out.flush();
  }
  for (const item of splitter.end()) handle(item);
  await out.flush();
  if (bad > 0) io.err(`${bad} of ${lines} lines could not be read as positions\n`);
  return bad > 0 ? 2 : 0;
}

/**
 * Lines of output gathered into large writes: encoded into a byte buffer as they come when the stream
 * takes bytes (each line's string is garbage at once), else joined into a string.
 */
class OutputBuffer {
  private bytes: Buffer | null;
  private used = 0;
  private text = '';

  constructor(private readonly io: CommandIo) {
    this.bytes = io.writeBytes ? Buffer.allocUnsafe(OUTPUT_CHUNK) : null;
  }

  get full(): boolean {
    return this.bytes ? this.used > OUTPUT_CHUNK / 2 : this.text.length > OUTPUT_CHUNK / 16;
  }

  line(text: string): void {
    if (!this.bytes) {
      this.text += text + '\n';
      return;
    }
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 + 1 > this.bytes.length) this.grow(text.length * 3 + 1);
    this.used += this.bytes.write(text, this.used);
    this.bytes[this.used++] = 10;
  }

  async flush(): Promise<void> {
    if (this.bytes) {
      if (this.used === 0) return;
      const done = this.bytes.subarray(0, this.used);
      // The stream may hold on to the written bytes: the next lines go into a new buffer.
      this.bytes = Buffer.allocUnsafe(OUTPUT_CHUNK);
      this.used = 0;
      await this.io.writeBytes!(done);
    } else if (this.text) {
      const text = this.text;
      this.text = '';
      await this.io.write(text);
    }
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes!.length * 2, this.used + atLeast));
    this.bytes!.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}
