// Reading a layer file from disk with a size cap and errors that say what is wrong with the path.
import { readFile, stat } from 'node:fs/promises';
import { LinderoError } from '../model/index.js';
import { MAX_FILE_BYTES } from './limits.js';

/** Reads a whole layer file, refusing directories, missing files and anything over MAX_FILE_BYTES before reading it. */
export async function readLayerBytes(path: string, label: string = path): Promise<Buffer> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new LinderoError('layer-unreadable', 'is a directory, not a layer file', { file: label });
    sizeBytes = info.size;
  } catch (e) {
    throw asReadError(e, label);
  }
  refuseOversize(sizeBytes, label);
  try {
    return await readFile(path);
  } catch (e) {
    throw asReadError(e, label);
  }
}

/** Reads an optional companion file (a shapefile's .prj or .cpg); undefined when it does not exist. */
export async function readCompanion(path: string, label: string): Promise<Buffer | undefined> {
  try {
    return await readLayerBytes(path, label);
  } catch (e) {
    if (e instanceof LinderoError && e.code === 'layer-not-found') return undefined;
    throw e;
  }
}

export function refuseOversize(sizeBytes: number, label: string, what = 'the file'): void {
  if (sizeBytes > MAX_FILE_BYTES) {
    throw new LinderoError(
      'layer-too-large',
      `${what} is ${formatMiB(sizeBytes)}; layer files over ${formatMiB(MAX_FILE_BYTES)} are refused (simplify or split the layer)`,
      { file: label },
    );
  }
}

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 3 : 0)} MiB`;
}

function asReadError(e: unknown, label: string): LinderoError {
  if (e instanceof LinderoError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LinderoError('layer-not-found', 'no such file', { file: label });
  if (code === 'EISDIR') return new LinderoError('layer-unreadable', 'is a directory, not a layer file', { file: label });
  if (code === 'EACCES' || code === 'EPERM') return new LinderoError('layer-unreadable', 'permission denied: the file cannot be read', { file: label });
  return new LinderoError('layer-unreadable', `cannot be read: ${(e as Error).message}`, { file: label });
}
