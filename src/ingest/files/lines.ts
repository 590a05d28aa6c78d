// Splits text into lines with a hard cap, so one endless "line" cannot exhaust memory.

/** A complete line (without its LF or CRLF), or the number and length of a line that was too long. */
export type LineItem = { line: number; text: string } | { line: number; oversizeChars: number };

/**
 * Incremental line splitter for LF and CRLF text. A line longer than maxLineChars is not kept:
 * it is reported with its length once its end is reached, and the lines after it go on.
 * Shared by the NMEA and CSV readers and usable by a TCP listener (push chunks as they arrive).
 */
export class LineSplitter {
  private partial = '';
  private lineNo: number;
  private oversizeChars = 0;

  /** `linesBefore`: lines of the same input already split elsewhere (the first line here is numbered one more). */
  constructor(readonly maxLineChars: number, linesBefore = 0) {
    this.lineNo = linesBefore;
  }

  push(chunk: string): LineItem[] {
    const out: LineItem[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      const piece = chunk.slice(start, nl < 0 ? chunk.length : nl);
      this.append(piece);
      if (nl < 0) break;
      out.push(this.finishLine());
      start = nl + 1;
    }
    return out;
  }

  /** Call at end of input: the last line, if it had no newline. */
  end(): LineItem[] {
    return this.partial === '' && this.oversizeChars === 0 ? [] : [this.finishLine()];
  }

  private append(piece: string): void {
    if (this.oversizeChars > 0) {
      this.oversizeChars += piece.length;
    } else if (this.partial.length + piece.length > this.maxLineChars + 1) { // +1: a CR before the LF
      this.oversizeChars = this.partial.length + piece.length;
      this.partial = '';
    } else {
      this.partial += piece;
    }
  }

  private finishLine(): LineItem {
    this.lineNo++;
    if (this.oversizeChars > 0) {
      const item = { line: this.lineNo, oversizeChars: this.oversizeChars };
      this.oversizeChars = 0;
      return item;
    }
    let text = this.partial;
    this.partial = '';
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > this.maxLineChars) return { line: this.lineNo, oversizeChars: text.length };
    return { line: this.lineNo, text };
  }
}

/** Lines of an async stream of text chunks, a batch per chunk (one await per chunk, not per line). */
export async function* readLineBatches(chunks: AsyncIterable<string>, maxLineChars: number): AsyncGenerator<LineItem[]> {
  const splitter = new LineSplitter(maxLineChars);
  for await (const chunk of chunks) yield splitter.push(chunk);
  yield splitter.end();
}
