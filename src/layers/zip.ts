// Reading zip archives (KMZ, zipped shapefiles) without letting a zip bomb through.
// Declared sizes are checked against the cap before anything is inflated, and inflation is counted as it
// streams, so an entry that lies about its size is stopped as soon as it passes what it declared.
import JSZip from 'jszip';
import { LinderoError } from '../model/index.js';
import { MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from './limits.js';
import { formatMiB } from './read-file.js';

/** The parts of jszip's documented ZipObject#internalStream that are used here (absent from its type declarations). */
interface StreamHelper {
  on(event: 'data', callback: (chunk: Uint8Array) => void): StreamHelper;
  on(event: 'end', callback: () => void): StreamHelper;
  on(event: 'error', callback: (e: Error) => void): StreamHelper;
  resume(): StreamHelper;
  pause(): StreamHelper;
}

export interface SafeZip {
  /** Names of the files (not folders) in the archive, in archive order. */
  names: string[];
  /** Inflates one entry, refusing it (and any total) over the cap. */
  read(name: string): Promise<Uint8Array>;
}

/** Opens a zip held in memory; throws 'layer-corrupt' for a damaged archive and 'layer-hostile' for one with too many entries. */
export async function openZip(bytes: Uint8Array, file: string, maxTotalBytes = MAX_UNZIPPED_BYTES): Promise<SafeZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false, createFolders: false });
  } catch (e) {
    throw new LinderoError('layer-corrupt', `is a damaged or unsupported zip archive: ${(e as Error).message}`, { file });
  }
  const objects = Object.values(zip.files).filter((entry) => !entry.dir);
  if (objects.length > MAX_ZIP_ENTRIES) {
    throw new LinderoError('layer-hostile', `is a zip with ${objects.length} entries; more than ${MAX_ZIP_ENTRIES} are refused`, { file });
  }
  let inflatedBytes = 0;
  return {
    names: objects.map((entry) => entry.name),
    async read(name) {
      const entry = zip.file(name);
      if (!entry) throw new LinderoError('layer-structure', `has no entry '${name}'`, { file, field: name });
      const declared = declaredSize(entry);
      const room = maxTotalBytes - inflatedBytes;
      if (declared > room) throw tooBig(file, name, declared, maxTotalBytes);
      const data = await inflate(entry, file, name, Math.min(declared, room), declared, maxTotalBytes);
      inflatedBytes += data.length;
      return data;
    },
  };
}

/**
 * The uncompressed size from the zip's central directory, which jszip keeps on the entry's internal `_data`.
 * jszip replaces an entry declared empty by a promise of an empty string; the streamed count still holds it to 0.
 */
function declaredSize(entry: JSZip.JSZipObject): number {
  const data = (entry as unknown as { _data?: unknown })._data;
  if (typeof (data as { then?: unknown } | undefined)?.then === 'function') return 0;
  const size = (data as { uncompressedSize?: unknown } | undefined)?.uncompressedSize;
  // jszip reads the 32-bit field as a signed integer; the zip format means it unsigned.
  return typeof size === 'number' && Number.isFinite(size) ? (size < 0 ? size >>> 0 : size) : Number.POSITIVE_INFINITY;
}

function inflate(entry: JSZip.JSZipObject, file: string, name: string, limit: number, declared: number, cap: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let stopped = false;
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): StreamHelper }).internalStream('uint8array');
    const stop = (error: LinderoError) => {
      stopped = true;
      stream.pause();
      reject(error);
    };
    stream
      .on('data', (chunk) => {
        if (stopped) return;
        total += chunk.length;
        if (total > limit) {
          stop(total > declared
            ? new LinderoError('layer-hostile', `zip entry '${name}' inflates to more than the ${declared} bytes its header declares (a zip bomb or a damaged archive)`, { file, field: name })
            : tooBig(file, name, total, cap));
          return;
        }
        chunks.push(chunk);
      })
      .on('error', (e) => {
        if (!stopped) reject(new LinderoError('layer-corrupt', `zip entry '${name}' cannot be inflated: ${e.message}`, { file, field: name }));
      })
      .on('end', () => {
        if (!stopped) resolve(concat(chunks, total));
      })
      .resume();
  });
}

function tooBig(file: string, name: string, bytes: number, cap: number): LinderoError {
  const size = Number.isFinite(bytes) ? formatMiB(bytes) : 'an unknown size';
  return new LinderoError('layer-hostile', `zip entry '${name}' would inflate to ${size}; more than ${formatMiB(cap)} unzipped in all is refused (a zip bomb?)`, { file, field: name });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Case-insensitive match on the file extension of a zip entry name. */
export function hasExtension(name: string, extension: string): boolean {
  return name.toLowerCase().endsWith(extension) && !name.split('/').pop()!.startsWith('._');
}
