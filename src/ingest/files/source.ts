// Bytes in, text chunks out: the I/O shared by all track readers.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { LinderoError } from '../../errors.js';
import type { TextEncodingName } from './detect.js';

const CHUNK_BYTES = 256 * 1024;

/** The first `n` bytes of a file (fewer if it is shorter). */
export async function readHead(path: string, n: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>;
}

export async function* bytesChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

/**
 * Decodes byte chunks as they come. Invalid bytes are an error naming the chunk's byte offset, not silent
 * U+FFFD: the decoder's replacement character is looked for in the output, which is about twice as fast
 * as a fatal decoder (a file that itself contains U+FFFD is refused too; such a file was damaged before).
 */
export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>, encoding: TextEncodingName, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  let offset = 0;
  const check = (text: string): string => {
    if (encoding !== 'windows-1252' && text.includes('\uFFFD')) {
      throw new LinderoError('bad-encoding', `the file is not valid ${encoding} text (binary data or another encoding) in the chunk starting at byte ${offset}`, { file, byte: offset });
    }
    return text;
  };
  for await (const chunk of chunks) {
    const text = check(decoder.decode(chunk, { stream: true }));
    offset += chunk.length;
    if (text) yield text;
  }
  const rest = check(decoder.decode());
  if (rest) yield rest;
}

/** Reads a whole file or byte source, refusing it past `maxBytes` (formats that cannot be streamed). */
export async function readAllCapped(path: string | Uint8Array, maxBytes: number, file: string, what: string): Promise<Uint8Array> {
  const size = typeof path === 'string' ? (await stat(path)).size : path.length;
  if (size > maxBytes) {
    throw new LinderoError('file-too-large', `${what} is ${size} bytes; lindero reads at most ${maxBytes} bytes of it at once`, { file });
  }
  if (typeof path !== 'string') return path;
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) throw new LinderoError('file-too-large', `${what} grew past ${maxBytes} bytes while being read`, { file });
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
