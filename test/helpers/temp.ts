// Temporary folders for tests: each test's files in a fresh folder, removed when it is done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  dir: string;
  /** A path inside the folder. */
  file: (name: string) => string;
  remove: () => void;
}

/** A fresh folder under the system's temporary directory; remove() deletes it with everything in it. */
export function tempDir(prefix = 'lindero-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
