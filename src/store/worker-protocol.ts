// What crosses between the store's worker thread and its callers: method calls, their results, and
// errors as plain data (errorToWire in errors.ts; a structured clone keeps no Buffer either).
import type { WireError } from '../model/index.js';

export interface StoreCall {
  id: number;
  method: string;
  args: unknown[];
}

export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/**
 * Calls and replies cross in batches: what one side has to send by the end of its event loop's turn goes in
 * one message (StoreCall[] one way, StoreReply[] the other; only the worker's first reply, to the open, is
 * alone). A message per call cost each side a structured clone, a wake-up of the other thread and a turn of
 * its loop for each: with phones reporting one fix a request, one call per fix.
 */
export class Outbox<T> {
  private items: T[] = [];
  private scheduled = false;

  /**
   * `post` sends a batch (a structured clone: it throws on what cannot be cloned); when a batch cannot go,
   * each item goes alone, and `refused` is told of each that cannot.
   */
  constructor(private readonly post: (items: T[]) => void, private readonly refused: (item: T, error: unknown) => void) {}

  /** Queues an item; it is sent with the others queued in this turn, at setImmediate. */
  push(item: T): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is queued now (also before the port closes). */
  flush(): void {
    this.scheduled = false;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    try {
      this.post(items);
      return;
    } catch {
      // Found below, item by item.
    }
    for (const item of items) {
      try {
        this.post([item]);
      } catch (e) {
        this.refused(item, e);
      }
    }
  }
}

/** Calls whose arguments or results carry Buffers (hashes, signatures): only these are walked to restore them. */
export const BUFFER_METHODS: ReadonlySet<string> = new Set([
  'chainHead', 'chainHashes', 'chainEntries', 'chainEntriesOf', 'chainPositionsOfRecordHash', 'appendCheckpoint', 'checkpoints', 'latestCheckpoint',
]);

/** Turns the Uint8Arrays a structured clone leaves into Buffers again, in place, a few levels deep. */
export function restoreBuffers(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreBuffers(value[i], depth + 1);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = restoreBuffers(record[key], depth + 1);
  return record;
}
