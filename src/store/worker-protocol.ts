// What crosses between the store's worker thread and its callers: method calls, their results, and
// errors as plain data (errorToWire in errors.ts; a structured clone keeps no Buffer either).
import type { WireError } from '../model/index.js';

export interface StoreCall {
  id: number;
  method: string;
  args: unknown[];
}

export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

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
