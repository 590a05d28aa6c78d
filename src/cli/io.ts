import { once } from 'node:events';
import type { Readable } from 'node:stream';

/** What a command may touch: its streams. Tests pass their own. */
export interface CommandIo {
  stdin: Readable;
  out(text: string): void;
  err(text: string): void;
  /** Writes and waits for the stream to drain (for large outputs). */
  write(text: string): Promise<void>;
  /**
   * Writes bytes (UTF-8 text) and waits for the stream to drain; the bytes must not change afterwards.
   * Optional: where there is none, write() is used. Batch output fills byte buffers with its lines instead
   * of joining them into long strings, which kept every line alive until the next write.
   */
  writeBytes?(bytes: Uint8Array): Promise<void>;
}

export function processIo(): CommandIo {
  return {
    stdin: process.stdin,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    write: async (t) => {
      // events.once removes its listeners when either event fires, so nothing accumulates.
      if (!process.stdout.write(t)) await once(process.stdout, 'drain');
    },
    writeBytes: async (b) => {
      if (!process.stdout.write(b)) await once(process.stdout, 'drain');
    },
  };
}
