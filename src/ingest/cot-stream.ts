// Split a TCP byte stream of Cursor-on-Target into whole <event>…</event> documents.
// TAK protocol version 0 is plain XML events back to back, optionally each behind an
// <?xml ...?> declaration, with whitespace between; there is no length prefix, so the end
// of an event is found by following the XML (element depth, comments, CDATA, quotes).
// Hand-written because no XML library frames a stream of many root elements with garbage,
// size limits and resynchronisation; the documents it yields are parsed by parseCot.
// TAK protocol version 1 frames (0xbf <length varint> <TakMessage>, takproto/protocol.txt) are
// framed here too, wherever an event could start, and yielded as payloads for parseTakPayload.
import { LinderoError } from '../model/index.js';
import { DEFAULT_MAX_COT_BYTES, STRICT_UTF8 } from './cot.js';

export type CotStreamItem =
  /** A complete event document and the stream offset of its first byte. */
  | { kind: 'event'; xml: string; byte: number }
  /** A TAK protocol version 1 message (the payload of one stream frame) and the offset of its 0xbf. */
  | { kind: 'proto'; payload: Uint8Array; byte: number }
  /** Something in the stream that was skipped, with its offset in `error.place.byte`. */
  | { kind: 'error'; error: LinderoError };

export interface CotStreamOptions {
  /** Largest event kept, in bytes; a larger one is discarded and reported. */
  maxEventBytes?: number;
}

const enum Mode {
  /** Between events: whitespace, declarations and (reported) garbage. */
  Outside,
  /** Inside an <?xml ...?> declaration between events. */
  Declaration,
  /** Inside an event that grew too large: skip to the next "<event". */
  Discarding,
  /** Inside an event (see Xml for where). */
  Event,
  /** After a 0xbf between events: reading the frame's length varint. */
  ProtoLength,
  /** Inside a TAK protocol frame's payload. */
  ProtoPayload,
}

/** Where the scanner is inside an event's XML. */
const enum Xml {
  Text,
  Open, // just after '<'
  StartTag,
  EndTag,
  Bang, // after '<!', deciding between comment, CDATA and declaration
  Comment,
  CData,
  Instruction,
  Declaration,
}

const EVENT_OPEN = Buffer.from('<event');
const LT = 0x3c, GT = 0x3e, SLASH = 0x2f, QMARK = 0x3f, BANG = 0x21, DASH = 0x2d, RSQB = 0x5d;
const DQUOTE = 0x22, SQUOTE = 0x27;
/** TAK protocol version 1 frames start with this byte (TAK "magic" 0xbf). */
const TAK_MAGIC = 0xbf;
const MAX_DECLARATION_BYTES = 1024;
const EMPTY = Buffer.alloc(0);
/** Largest event buffer kept between events, bytes. */
const KEPT_EVENT_BUFFER_BYTES = 4096;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Feed chunks as they arrive with push(); each call returns the events completed and the
 * errors found so far. Memory is bounded by maxEventBytes: between events only a few
 * bytes of look-ahead are kept, and an event that outgrows the limit is dropped at once.
 */
export class CotStreamSplitter {
  private readonly maxEventBytes: number;
  private mode = Mode.Outside;
  private xml = Xml.Text;
  /** Bytes held back because they may be the start of "<event". */
  private carry: Buffer = EMPTY;
  /** Stream offset of the first byte of the next chunk. */
  private streamOffset = 0;
  // The event being collected: its bytes so far are event[0, eventLength).
  private event: Buffer = EMPTY;
  private eventLength = 0;
  private complete = false;
  private eventStart = 0;
  private eventBytes = 0;
  private depth = 0;
  private quote = 0;
  private previous = 0;
  private run = 0; // consecutive '-' or ']' seen, for the end of comments and CDATA
  private bang = '';
  // The garbage run being skipped, reported as one error when it ends.
  private garbageStart = -1;
  private garbageBytes = 0;
  private garbageHead: number[] = [];
  private declarationBytes = 0;
  // A DOCTYPE between events belongs to the document of the event after it: 1 while inside it, 2 once
  // it has closed, until that event is refused. `recent` holds the last bytes seen between events.
  private doctype: 0 | 1 | 2 = 0;
  private doctypeBrackets = 0;
  private doctypeQuote = 0;
  private recent = '';
  // The TAK protocol frame being read: its length so far (varint) and the payload bytes still to come.
  private protoLength = 0;
  private protoLengthBytes = 0;
  private protoRemaining = 0;
  /** The last byte seen between events (0 after an event or frame). */
  private previousOutside = 0;

  constructor(options: CotStreamOptions = {}) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_COT_BYTES;
  }

  /** Bytes held in memory right now (the partial event and the look-ahead). */
  get bufferedBytes(): number {
    return this.carry.length + this.event.length;
  }

  push(chunk: Uint8Array): CotStreamItem[] {
    const out: CotStreamItem[] = [];
    const input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.carry.length ? Buffer.concat([this.carry, input]) : input;
    const base = this.streamOffset - this.carry.length;
    this.streamOffset += input.length;
    this.carry = EMPTY;
    let segmentStart = 0; // where the current event's bytes start in buf
    let i = 0;
    while (i < buf.length) {
      if (this.mode === Mode.Event) {
        const stop = this.scanEvent(buf, i, out);
        if (this.mode === Mode.Event) {
          // An event whole in this chunk is decoded from it; one split across chunks is gathered first.
          if (this.complete && this.eventLength === 0) out.push(this.finishEvent(buf.subarray(segmentStart, stop)));
          else {
            this.append(buf.subarray(segmentStart, stop));
            if (this.complete) out.push(this.finishEvent(this.event.subarray(0, this.eventLength)));
          }
        }
        i = stop;
        continue;
      }
      if (this.mode === Mode.Declaration) {
        i = this.skipDeclaration(buf, i, out, base);
        continue;
      }
      if (this.mode === Mode.ProtoLength) {
        this.protoLengthByte(buf[i++], out);
        continue;
      }
      if (this.mode === Mode.ProtoPayload) {
        const take = Math.min(this.protoRemaining, buf.length - i);
        this.append(buf.subarray(i, i + take));
        i += take;
        this.protoRemaining -= take;
        if (this.protoRemaining === 0) out.push(this.finishProto());
        continue;
      }
      const b = buf[i];
      if (this.mode === Mode.Outside && this.doctype === 1) {
        this.stepDoctype(b);
        this.addGarbage(b, base + i, out);
        i++;
        continue;
      }
      // A frame starts where a message may: not inside a run of garbage (0xbf there is noise, or part of a
      // UTF-8 character such as "¿", c2 bf), so garbage cannot swallow the event after it.
      if (b === TAK_MAGIC && this.mode === Mode.Outside && this.garbageStart < 0 && this.previousOutside < 0x80) {
        this.flushGarbage(out);
        this.mode = Mode.ProtoLength;
        this.eventStart = base + i;
        this.protoLength = 0;
        this.protoLengthBytes = 0;
        i++;
        continue;
      }
      if (b === LT) {
        const match = matchEventOpen(buf, i);
        if (match === 'partial') {
          this.carry = Buffer.from(buf.subarray(i));
          break;
        }
        if (match === 'yes') {
          this.startEvent(base + i, out);
          segmentStart = i;
          i += EVENT_OPEN.length;
          continue;
        }
        if (this.mode === Mode.Outside && buf[i + 1] === QMARK) {
          this.flushGarbage(out);
          this.mode = Mode.Declaration;
          this.declarationBytes = 0;
          this.previous = 0;
          i += 2;
          continue;
        }
      }
      this.previousOutside = b;
      if (this.mode === Mode.Outside && !(isSpace(b) && this.garbageStart < 0)) {
        this.addGarbage(b, base + i, out);
        this.watchForDoctype(b);
      }
      i++;
    }
    return out;
  }

  /** The stream has ended: report a partial event or trailing garbage. */
  end(): CotStreamItem[] {
    const out: CotStreamItem[] = [];
    if (this.mode === Mode.Event) {
      out.push(problem('cot-truncated', `the stream ended inside an event (${this.eventBytes} bytes received)`, this.eventStart));
    }
    if (this.mode === Mode.ProtoLength || this.mode === Mode.ProtoPayload) {
      out.push(problem('cot-truncated', 'the stream ended inside a TAK protocol frame', this.eventStart));
    }
    if (this.mode === Mode.Outside) {
      for (let k = 0; k < this.carry.length; k++) this.addGarbage(this.carry[k], this.streamOffset - this.carry.length + k, out);
    }
    this.flushGarbage(out);
    this.reset(Mode.Outside);
    this.carry = EMPTY;
    this.doctype = 0;
    this.recent = '';
    return out;
  }

  /** One byte of a frame's length varint; a length over the event limit (or garbage) goes back to scanning. */
  private protoLengthByte(b: number, out: CotStreamItem[]): void {
    this.protoLength += (b & 0x7f) * 2 ** (7 * this.protoLengthBytes++);
    if (b & 0x80) {
      if (this.protoLengthBytes < 5) return;
      this.protoLength = Infinity;
    }
    if (this.protoLength === 0 || this.protoLength > this.maxEventBytes) {
      out.push(problem('cot-too-large', `TAK protocol frame of ${this.protoLength} bytes is empty or over the ${this.maxEventBytes}-byte limit; skipped`, this.eventStart));
      this.mode = Mode.Outside;
      return;
    }
    this.protoRemaining = this.protoLength;
    this.eventLength = 0;
    this.mode = Mode.ProtoPayload;
  }

  private finishProto(): CotStreamItem {
    // The payload is copied: the event buffer is reused for the next event.
    const item: CotStreamItem = { kind: 'proto', payload: Uint8Array.prototype.slice.call(this.event, 0, this.eventLength), byte: this.eventStart };
    this.reset(Mode.Outside);
    if (this.doctype !== 0) {
      this.doctype = 0;
      return problem('cot-doctype', 'message refused: a DOCTYPE declaration came before it', item.byte);
    }
    return item;
  }

  /** Between events: notices "<!DOCTYPE" (or "<!ENTITY"), in any case, even split across chunks. */
  private watchForDoctype(b: number): void {
    this.recent = (this.recent + String.fromCharCode(b)).slice(-9);
    const upper = this.recent.toUpperCase();
    if (upper === '<!DOCTYPE' || upper.endsWith('<!ENTITY')) {
      this.doctype = 1;
      this.doctypeBrackets = 0;
      this.doctypeQuote = 0;
      this.recent = '';
    }
  }

  /** Inside a DOCTYPE: it ends at a '>' outside quotes and outside its [internal subset]. */
  private stepDoctype(b: number): void {
    if (this.doctypeQuote) {
      if (b === this.doctypeQuote) this.doctypeQuote = 0;
    } else if (b === DQUOTE || b === SQUOTE) this.doctypeQuote = b;
    else if (b === 0x5b) this.doctypeBrackets++;
    else if (b === RSQB) this.doctypeBrackets--;
    else if (b === GT && this.doctypeBrackets <= 0) this.doctype = 2;
  }

  private startEvent(offset: number, out: CotStreamItem[]): void {
    this.flushGarbage(out);
    this.mode = Mode.Event;
    this.xml = Xml.StartTag;
    this.eventStart = offset;
    this.eventBytes = EVENT_OPEN.length;
    this.depth = 0;
    this.quote = 0;
    this.previous = 0;
    this.complete = false;
  }

  /** Copy bytes into the event buffer (the caller may reuse its chunk), growing it by doubling. */
  private append(bytes: Buffer): void {
    const needed = this.eventLength + bytes.length;
    if (needed > this.event.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(needed, this.event.length * 2, 1024), this.maxEventBytes + EVENT_OPEN.length));
      this.event.copy(grown, 0, 0, this.eventLength);
      this.event = grown;
    }
    bytes.copy(this.event, this.eventLength);
    this.eventLength = needed;
  }

  private finishEvent(bytes: Buffer): CotStreamItem {
    const byte = this.eventStart;
    let item: CotStreamItem;
    if (this.doctype !== 0) {
      // The same rule as for a single document (parseCot): a DOCTYPE refuses the whole document.
      this.doctype = 0;
      this.reset(Mode.Outside);
      return problem('cot-doctype', 'event refused: its document has a DOCTYPE declaration, which is not allowed in CoT', byte);
    }
    try {
      item = { kind: 'event', xml: STRICT_UTF8.decode(bytes), byte };
    } catch {
      item = problem('cot-encoding', 'event is not valid UTF-8 text; skipped', byte);
    }
    this.reset(Mode.Outside);
    return item;
  }

  private reset(mode: Mode): void {
    this.mode = mode;
    this.previousOutside = 0;
    // A small event buffer is kept for the next event; a large one goes (memory stays bounded by maxEventBytes).
    if (this.event.length > KEPT_EVENT_BUFFER_BYTES) this.event = EMPTY;
    this.eventLength = 0;
    this.eventBytes = 0;
    this.complete = false;
  }

  /**
   * Follow the event's XML from buf[i]; returns the index where it stopped: just past the
   * event's last '>' (complete = true), at the end of the chunk, or just past the byte that
   * made the event too large (mode becomes Discarding).
   */
  private scanEvent(buf: Buffer, i: number, out: CotStreamItem[]): number {
    for (; i < buf.length; i++) {
      if (++this.eventBytes > this.maxEventBytes) {
        out.push(problem('cot-too-large', `event is larger than ${this.maxEventBytes} bytes; skipped to the next <event`, this.eventStart));
        this.reset(Mode.Discarding);
        return i + 1;
      }
      if (this.step(buf[i])) {
        this.complete = true;
        return i + 1;
      }
    }
    return i;
  }

  /** Advance the XML state by one byte; true when the event's root element has closed. */
  private step(b: number): boolean {
    switch (this.xml) {
      case Xml.Text:
        if (b === LT) this.xml = Xml.Open;
        return false;
      case Xml.Open:
        if (b === SLASH) this.xml = Xml.EndTag;
        else if (b === BANG) (this.xml = Xml.Bang), (this.bang = '');
        else if (b === QMARK) (this.xml = Xml.Instruction), (this.previous = 0);
        else (this.xml = Xml.StartTag), (this.quote = 0), (this.previous = b);
        return false;
      case Xml.StartTag:
        if (this.quote) {
          if (b === this.quote) this.quote = 0;
        } else if (b === DQUOTE || b === SQUOTE) this.quote = b;
        else if (b === GT) {
          this.xml = Xml.Text;
          if (this.previous === SLASH) return this.depth === 0; // <empty/>
          this.depth++;
          return false;
        }
        if (!isSpace(b)) this.previous = b;
        return false;
      case Xml.EndTag:
        if (b !== GT) return false;
        this.xml = Xml.Text;
        return --this.depth <= 0;
      case Xml.Bang:
        this.bang += String.fromCharCode(b);
        if (this.bang === '--') (this.xml = Xml.Comment), (this.run = 0);
        else if (this.bang === '[CDATA[') (this.xml = Xml.CData), (this.run = 0);
        else if (!'--'.startsWith(this.bang) && !'[CDATA['.startsWith(this.bang)) this.xml = b === GT ? Xml.Text : Xml.Declaration;
        return false;
      case Xml.Comment:
        return this.closeAfterRun(b, DASH);
      case Xml.CData:
        return this.closeAfterRun(b, RSQB);
      case Xml.Instruction:
        if (b === GT && this.previous === QMARK) this.xml = Xml.Text;
        this.previous = b;
        return false;
      case Xml.Declaration:
        if (b === GT) this.xml = Xml.Text;
        return false;
    }
  }

  /** Comments end at "-->", CDATA at "]]>": two or more `mark` bytes then '>'. */
  private closeAfterRun(b: number, mark: number): boolean {
    if (b === mark) this.run++;
    else {
      if (b === GT && this.run >= 2) this.xml = Xml.Text;
      this.run = 0;
    }
    return false;
  }

  private skipDeclaration(buf: Buffer, i: number, out: CotStreamItem[], base: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i];
      if (++this.declarationBytes > MAX_DECLARATION_BYTES) {
        out.push(problem('cot-garbage', `an <? ... ?> declaration ran over ${MAX_DECLARATION_BYTES} bytes; skipped`, base + i));
        this.mode = Mode.Outside;
        return i + 1;
      }
      if (b === GT && this.previous === QMARK) {
        this.mode = Mode.Outside;
        return i + 1;
      }
      this.previous = b;
    }
    return i;
  }

  private addGarbage(b: number, offset: number, out: CotStreamItem[]): void {
    if (this.garbageStart < 0) {
      this.garbageStart = offset;
      this.garbageBytes = 0;
      this.garbageHead = [];
    }
    this.garbageBytes++;
    if (this.garbageHead.length < 16) this.garbageHead.push(b);
    if (this.garbageBytes >= this.maxEventBytes) this.flushGarbage(out);
  }

  private flushGarbage(out: CotStreamItem[]): void {
    if (this.garbageStart < 0) return;
    const head = Buffer.from(this.garbageHead);
    const start = this.garbageStart;
    this.garbageStart = -1;
    if (head.toString('latin1').toUpperCase().startsWith('<!DOCTYPE')) {
      out.push(problem('cot-doctype', `refused a DOCTYPE declaration (${this.garbageBytes} bytes): entity definitions are not allowed in CoT`, start));
    } else {
      out.push(problem('cot-garbage', `skipped ${this.garbageBytes} bytes that are not a CoT event (starting ${JSON.stringify(head.toString('latin1'))})`, start));
    }
  }
}

/** Does buf[i..] start "<event" followed by a space, '>' or '/'? 'partial' when the chunk ends first. */
function matchEventOpen(buf: Buffer, i: number): 'yes' | 'no' | 'partial' {
  for (let k = 0; k <= EVENT_OPEN.length; k++) {
    if (i + k >= buf.length) return 'partial';
    const b = buf[i + k];
    if (k === EVENT_OPEN.length) return isSpace(b) || b === GT || b === SLASH ? 'yes' : 'no';
    if (b !== EVENT_OPEN[k]) return 'no';
  }
  return 'no';
}

function problem(code: string, message: string, byte: number): CotStreamItem {
  return { kind: 'error', error: new LinderoError(code, message, { byte }) };
}
