// A progress bar for long track files. Readers do not report bytes consumed, so the total is estimated:
// the first SAMPLE_BYTES of each file are read as a track on their own, giving items per byte for it.
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readTrackFromBytes } from '../ingest/index.js';

const SAMPLE_BYTES = 512 * 1024;
/** Below this total size no bar is drawn: the analysis is over in a blink. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;
const REDRAW_MS = 200;
const BAR_WIDTH = 30;

/** Estimated items (fixes and rejected records) in the files, or undefined when a sample gives none. */
export async function estimateItems(paths: string[]): Promise<number | undefined> {
  let total = 0;
  for (const path of paths) {
    const size = (await stat(path)).size;
    const handle = await open(path, 'r');
    let sample: Buffer;
    try {
      const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    let items = 0;
    try {
      for await (const item of readTrackFromBytes(sample, basename(path))) items += item ? 1 : 0;
    } catch {
      // The sample ends mid-document: the items before the cut are what it is for.
    }
    if (items === 0) return undefined;
    total += size <= sample.length ? items : (items * size) / sample.length;
  }
  return total;
}

/** Draws "[#####.....]  42%  123,456 fixes" on a terminal line, at most every REDRAW_MS. */
export class ProgressBar {
  private lastDraw = 0;

  constructor(private readonly write: (text: string) => void, private readonly estimatedItems: number | undefined) {}

  update(items: number): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const count = `${items.toLocaleString('en-US')} records`;
    if (!this.estimatedItems) {
      this.write(`\r${count}`);
      return;
    }
    // An estimate can run short: hold at 99% until the end is really reached.
    const fraction = Math.min(0.99, items / this.estimatedItems);
    const filled = Math.round(fraction * BAR_WIDTH);
    this.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${count}`);
  }

  done(): void {
    if (this.lastDraw > 0) this.write('\r\x1b[K');
  }
}
