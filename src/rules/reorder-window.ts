// The few most recent fixes of a unit, held back so that fixes a little out of order are put back in order.
import type { Fix } from '../model/index.js';

/** A ring of fixed capacity kept in time order: nothing is allocated per fix (this runs for every one). */
export class ReorderWindow {
  private readonly fixes: (Fix | undefined)[];
  private readonly files: string[];
  private readonly lines: number[];
  private head = 0;
  size = 0;

  constructor(private readonly capacity: number) {
    this.fixes = new Array<Fix | undefined>(capacity).fill(undefined);
    this.files = new Array<string>(capacity).fill('');
    this.lines = new Array<number>(capacity).fill(0);
  }

  /** Puts the fix after every fix not later than it (so equal times keep their order of arrival). */
  insert(fix: Fix, file: string, line = 0): void {
    if (this.size === this.capacity) throw new RangeError('the reorder window is full; take the oldest fix first');
    let k = this.size;
    while (k > 0 && this.fixes[this.slot(k - 1)]!.time > fix.time) k--;
    for (let j = this.size; j > k; j--) {
      const to = this.slot(j), from = this.slot(j - 1);
      this.fixes[to] = this.fixes[from];
      this.files[to] = this.files[from];
      this.lines[to] = this.lines[from];
    }
    this.fixes[this.slot(k)] = fix;
    this.files[this.slot(k)] = file;
    this.lines[this.slot(k)] = line;
    this.size++;
  }

  /** The oldest fix (the window must not be empty). */
  oldestFix(): Fix {
    return this.fixes[this.head]!;
  }

  /** The file the oldest fix came from. */
  oldestFile(): string {
    return this.files[this.head];
  }

  /** The line of its file the oldest fix was read at (0: none). */
  oldestLine(): number {
    return this.lines[this.head];
  }

  dropOldest(): void {
    this.fixes[this.head] = undefined;
    this.head = this.slot(1);
    this.size--;
  }

  private slot(k: number): number {
    const i = this.head + k;
    return i >= this.capacity ? i - this.capacity : i;
  }
}
