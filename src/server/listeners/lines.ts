/**
 * Splits a byte stream into lines (LF or CRLF) with a bounded buffer: a line longer than maxChars is
 * reported once as `overlong` and skipped up to its end, instead of being held in memory.
 * Hand-written because node:readline keeps an unbounded partial line.
 */
export type LineItem = { kind: 'line'; text: string; line: number } | { kind: 'overlong'; line: number; chars: number };

export class LineSplitter {
  private partial = '';
  private discarding = false;
  private discardedChars = 0;
  private lineNo = 0;

  constructor(private readonly maxChars: number) {}

  push(chunk: Buffer): LineItem[] {
    // latin1 keeps one char per byte, so garbage cannot grow the text or break on a split UTF-8 sequence.
    const text = chunk.toString('latin1');
    const out: LineItem[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = text.slice(start, nl === -1 ? undefined : nl);
      if (this.discarding) this.discardedChars += piece.length;
      else this.partial += piece;
      if (!this.discarding && this.partial.length > this.maxChars) {
        this.discarding = true;
        this.discardedChars = this.partial.length;
        this.partial = '';
      }
      if (nl === -1) break;
      this.finishLine(out);
      start = nl + 1;
    }
    return out;
  }

  /** The stream ended: the last line, if it had no newline. */
  end(): LineItem[] {
    const out: LineItem[] = [];
    if (this.partial.length > 0 || this.discarding) this.finishLine(out);
    return out;
  }

  private finishLine(out: LineItem[]): void {
    this.lineNo += 1;
    if (this.discarding) out.push({ kind: 'overlong', line: this.lineNo, chars: this.discardedChars });
    else out.push({ kind: 'line', text: this.partial.replace(/\r$/, ''), line: this.lineNo });
    this.partial = '';
    this.discarding = false;
    this.discardedChars = 0;
  }
}
