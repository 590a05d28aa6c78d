// Hands text to saxes, letting a shortcut take the elements of one plain shape (GPX track points) itself.
import type { SaxesParser } from 'saxes';

/** take(): the element is not of the plain shape; saxes reads it. */
export const DECLINED = -1;
/** take(): the text ends before the element does; it is tried again with the next chunk. */
export const CUT = -2;

/**
 * A reader's shortcut for the one element shape that is most of a file. It is offered an element only
 * where saxes is between tags in element content, the handler captures no text and the element starts
 * with `opening`; it either reads the whole element (and must then do exactly what the handler would
 * have done with saxes' events for it), or declines and saxes reads it as usual. It must decline
 * anything saxes could refuse or read differently (entities, comments, CDATA, non-ASCII, odd names).
 */
export interface XmlShortcut {
  /** The start of the start tag it looks for, e.g. '<trkpt'. */
  readonly opening: string;
  /** Longest element it takes, in characters (an element cut by a chunk's end is held back up to this). */
  readonly maxChars: number;
  /** Whether the handler is in a state where it may take an element now. */
  ready(): boolean;
  /** Reads the element at `start` (on line `line`): the index after it, DECLINED or CUT. */
  take(text: string, start: number, line: number): number;
}

/**
 * Writes chunks to saxes, except the elements the shortcut takes: for those saxes is given only their
 * line breaks (and spaces for the columns after the last one), so its lines and columns stay those of the
 * file. White space between taken elements is held and written in one piece.
 */
export class XmlFeed {
  private carry = '';
  /** Characters written to saxes: its position (saxes counts positions in what it was given). */
  private fed = 0;
  /** Position after the '>' of the last tag saxes reported, or after the last taken element. */
  private lastTagEnd = 0;
  /** saxes is in element content with only white space since its last tag: an element may be taken. */
  private atText = false;
  private heldLines = 0;
  private heldColumns = 0;

  constructor(
    private readonly parser: SaxesParser,
    private readonly shortcut: XmlShortcut | undefined,
    private readonly walkReady: () => boolean,
  ) {}

  /** Called by the walker at each start and end tag saxes reports, with saxes' position then. */
  tagEnded(position: number): void {
    this.lastTagEnd = position;
  }

  /** Characters of text given since the last tag (for the text-length guard). */
  charsSinceTag(): number {
    return this.fed + this.heldLines + this.heldColumns - this.lastTagEnd;
  }

  write(chunk: string): void {
    const shortcut = this.shortcut;
    if (!shortcut) {
      this.send(chunk);
      return;
    }
    const text = this.carry ? flatten(this.carry + chunk) : chunk;
    this.carry = '';
    const opening = shortcut.opening;
    let pos = 0;
    for (;;) {
      const at = text.indexOf(opening, pos);
      if (at < 0) {
        const keep = partialTail(text, opening, pos);
        this.pass(text, pos, keep);
        this.carry = text.slice(keep);
        break;
      }
      this.pass(text, pos, at);
      if (this.atText && this.walkReady() && shortcut.ready()) {
        const end = shortcut.take(text, at, this.parser.line + this.heldLines);
        if (end >= 0) {
          this.hold(text, at, end);
          this.lastTagEnd = this.fed + this.heldLines + this.heldColumns;
          pos = end;
          continue;
        }
        if (end === CUT) {
          this.carry = text.slice(at);
          break;
        }
      }
      pos = at + opening.length;
      this.pass(text, at, pos);
    }
    this.flush();
  }

  /** The end of the text: what was held back goes to saxes (which then finds the document cut short). */
  end(): void {
    this.flush();
    if (this.carry) this.send(this.carry);
    this.carry = '';
  }

  /** text[s, e) for saxes: held when it is white space between taken elements, else written. */
  private pass(text: string, s: number, e: number): void {
    if (s === e) return;
    if (this.atText && isPlainSpace(text, s, e)) {
      this.hold(text, s, e);
      return;
    }
    this.flush();
    const before = this.fed;
    const tagBefore = this.lastTagEnd;
    this.send(text.slice(s, e));
    // saxes is between tags now if a tag ended in this piece and only white space followed it.
    this.atText = this.lastTagEnd !== tagBefore && this.lastTagEnd > before && isPlainSpace(text, s + (this.lastTagEnd - before), e);
  }

  /** Counts the line breaks of text[s, e) and the columns after the last one, to be written as such. */
  private hold(text: string, s: number, e: number): void {
    let nl = text.indexOf('\n', s);
    if (nl < 0 || nl >= e) {
      this.heldColumns += e - s;
      return;
    }
    let last = nl;
    while (nl >= 0 && nl < e) {
      this.heldLines++;
      last = nl;
      nl = text.indexOf('\n', nl + 1);
    }
    this.heldColumns = e - last - 1;
  }

  private flush(): void {
    if (this.heldLines === 0 && this.heldColumns === 0) return;
    const text = '\n'.repeat(this.heldLines) + ' '.repeat(this.heldColumns);
    this.heldLines = 0;
    this.heldColumns = 0;
    this.send(text);
  }

  private send(text: string): void {
    this.parser.write(text);
    this.fed += text.length;
  }
}

/**
 * Spaces, tabs and line breaks only; a CR only as part of CRLF (a lone CR is a line break to XML, which
 * the held-lines count would miss), and not as the last character (its LF may be in the next chunk).
 */
function isPlainSpace(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) continue;
    if (c === 13 && i + 1 < e && text.charCodeAt(i + 1) === 10) continue;
    return false;
  }
  return true;
}

/** Where a tail of text that could be the beginning of `opening` starts (text.length if none). */
function partialTail(text: string, opening: string, from: number): number {
  const lt = text.lastIndexOf('<');
  if (lt < from || text.length - lt >= opening.length) return text.length;
  return opening.startsWith(text.slice(lt)) ? lt : text.length;
}

/**
 * The joined string in one piece. V8 keeps `a + b` as a pair of pointers, and every character the
 * shortcut reads would go through them (measured: 5% of reading); converting it to a number (which
 * fails at once on the '<') makes V8 copy it flat first.
 */
function flatten(text: string): string {
  void Number(text);
  return text;
}
