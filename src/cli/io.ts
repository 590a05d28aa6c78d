import type { Readable } from 'node:stream';

/** What a command may touch: its streams. Tests pass their own. */
export interface CommandIo {
  stdin: Readable;
  out(text: string): void;
  err(text: string): void;
  /** Writes and waits for the stream to drain (for large outputs). */
  write(text: string): Promise<void>;
}

export function processIo(): CommandIo {
  return {
    stdin: process.stdin,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    write: (t) =>
      new Promise((resolve, reject) => {
        if (process.stdout.write(t)) resolve();
        else process.stdout.once('drain', resolve).once('error', reject);
      }),
  };
}
